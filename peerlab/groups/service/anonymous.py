"""Anonymous posts: the server stores no author and nothing from which one can be computed.

- Offered only while at least `FLOOR` active members besides the author exist, counted under
  the group's lock in the same transaction as the post.
- The author's browser gets a token (core.authormarks, unlinkable mode) to edit or delete for
  15 minutes; only its hash is stored, and the mark is deleted when the window ends.
- The post is stored with the next quarter-hour boundary as its time and stays invisible to
  everyone until then; the due item that announces it is one per group and boundary, made with
  the boundary's start as its creation time, and posts due together are shown in the order of
  their random public ids.
- The daily limit is a per-member count with no post id and no time of day, raised for every
  active member of the group alike (`AnonymousCount`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from peerlab.core import activity, authormarks, due
from peerlab.core.errors import Conflict, NotFound, RateLimited
from peerlab.core.locking import lock_versioned
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, AnonymousCount, Group, Post, Thread
from peerlab.groups.service import threads
from peerlab.groups.service.groups import active_count

FLOOR = 4  # active members besides the author
PER_DAY = 10
WINDOW = timedelta(minutes=15)
MARK_KIND = "groups.post"
PUBLISH_KIND = "groups.publish_anonymous"


def boundary_after(now: datetime) -> datetime:
    """The next quarter-hour boundary strictly after `now`."""
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return start + timedelta(minutes=15)


def offered(group: Group) -> bool:
    """May anyone in this group post anonymously now? (the page's question; the post itself
    counts again under the lock)."""
    return group.allow_anonymous and active_count(group.id) - 1 >= FLOOR


def _count(group: Group, me: Membership, now: datetime) -> None:
    day = now.date()
    mine = db.session.scalar(
        select(AnonymousCount.count).where(
            AnonymousCount.membership_id == me.id, AnonymousCount.day == day
        )
    )
    if (mine or 0) >= PER_DAY:
        raise RateLimited(
            _("Heute sind in dieser Gruppe keine weiteren anonymen Beiträge möglich."),
            code="anonymous_per_day",
        )
    members = db.session.scalars(
        select(Membership.id).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == group.id,
            Membership.status == "active",
        )
    ).all()
    known = set(
        db.session.scalars(
            select(AnonymousCount.membership_id).where(
                AnonymousCount.membership_id.in_(members), AnonymousCount.day == day
            )
        )
    )
    for member_id in members:
        if member_id not in known:
            db.session.add(AnonymousCount(membership_id=member_id, day=day, count=0))
    db.session.flush()
    db.session.execute(
        update(AnonymousCount)
        .where(AnonymousCount.membership_id.in_(members), AnonymousCount.day == day)
        .values(count=AnonymousCount.count + 1)
        .execution_options(synchronize_session=False)
    )


def post(
    group: Group, me: Membership, thread: Thread, body: str, *, now: datetime
) -> tuple[Post, str]:
    """Store an anonymous post without author; returns it and the author's token."""
    lock_versioned(Group, group.id)
    db.session.refresh(group)
    db.session.refresh(me)
    if me.status != "active":  # removed or gone while the event was on its way
        raise NotFound()
    if not group.allow_anonymous:
        raise Conflict(_("In dieser Gruppe gibt es keine anonymen Beiträge."), code="anonymous_off")
    if active_count(group.id) - 1 < FLOOR:
        raise Conflict(
            _(
                "Anonym schreiben geht erst, wenn außer Ihnen mindestens %(n)d Mitglieder "
                "aktiv sind.",
                n=FLOOR,
            ),
            code="anonymous_floor",
        )
    text = threads.check_body(body)
    _count(group, me, now)
    at = boundary_after(now)
    item = Post(
        public_id=threads.public_id(),
        thread_id=thread.id,
        group_id=group.id,
        membership_id=None,
        anonymous=True,
        body=text,
        created_at=at,
    )
    db.session.add(item)
    db.session.flush()
    token = authormarks.issue_unlinkable(MARK_KIND, item.id, now=now, window=WINDOW)
    _schedule(group, at)
    return item, token


def _schedule(group: Group, at: datetime) -> None:
    pending = db.session.scalar(
        select(due.DueItem.id).where(
            due.DueItem.kind == PUBLISH_KIND,
            due.DueItem.subject_kind == SPACE_KIND,
            due.DueItem.subject_id == group.id,
            due.DueItem.due_at == at,
        )
    )
    if pending is None:  # one per group and boundary, created "at the window's start"
        due.schedule(
            PUBLISH_KIND, due_at=at, now=at - timedelta(minutes=15), subject=(SPACE_KIND, group.id)
        )


def publish(item: due.DueItem, now: datetime) -> None:
    """Due at the boundary: the posts of that moment become the threads' latest; tell the room."""
    group = db.session.get(Group, item.subject_id)
    if group is None:
        return
    at = item.due_at
    thread_ids = set(
        db.session.scalars(
            select(Post.thread_id).where(
                Post.group_id == group.id, Post.anonymous.is_(True), Post.created_at == at
            )
        )
    )
    for thread in db.session.scalars(select(Thread).where(Thread.id.in_(thread_ids))):
        thread.last_post_at = max(thread.last_post_at, at)
        threads.changed(group.id, thread)
    if thread_ids:
        group.last_post_at = max(group.last_post_at or at, at)
        # Every active member's digest, the author's too: no row tells who wrote it.
        activity.report_space(SPACE_KIND, group.id, now=at)
    db.session.flush()


def _mine(group: Group, public: str, token: str, now: datetime) -> Post:
    item = db.session.scalar(
        select(Post).where(
            Post.group_id == group.id, Post.public_id == str(public)[:24], Post.anonymous.is_(True)
        )
    )
    if item is None or not authormarks.is_unlinkable_author(MARK_KIND, item.id, token, now=now):
        raise NotFound()
    return item


def edit(group: Group, public: str, token: str, body: str, *, now: datetime) -> Post:
    item = _mine(group, public, token, now)
    item.body = threads.check_body(body)
    if item.created_at <= now:
        item.edited_at = now
        threads.changed(group.id, db.session.get(Thread, item.thread_id))
    db.session.flush()
    return item


def delete(group: Group, public: str, token: str, *, now: datetime) -> None:
    item = _mine(group, public, token, now)
    authormarks.forget(MARK_KIND, item.id)
    published = item.created_at <= now
    thread = db.session.get(Thread, item.thread_id)
    db.session.delete(item)
    db.session.flush()
    if published:
        threads.changed(group.id, thread)
