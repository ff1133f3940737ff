"""Retention of confidential groups: content that has outlived its retention is deleted for
real (core.retention makes it final in the database files), and members are warned first by
mails that name no group and carry no content.

- Retention 30, 90 or 365 days: posts older than that go, with their reports, the mails and
  due items about them; a thread goes with its last post; the shared notes go when they were
  last changed before the cut-off; a Lean Coffee round of the group that began before it goes
  with everything in it (groups.rounds). Seven days before posts expire, every active member gets
  one mail ("in einer Ihrer vertraulichen Gruppen werden Inhalte gelöscht"), at most one per
  person and week, whichever groups it is about.
- "Bis die Gruppe endet" (no retention): the group ends after 12 months without a post; its
  members are warned 30 days before, and told when it ended. Ending deletes the group with
  everything in it (core.subjects reaches memberships, timeboxes, due items and queued mails).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select

from peerlab.accounts.models import User
from peerlab.core import retention, subjects
from peerlab.core.retention import Purged
from peerlab.core.spaces import Membership
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.groups import rounds
from peerlab.groups.models import SPACE_KIND, Group, Note, Post, Report, Thread
from peerlab.notify import outbox

WARN_BEFORE = timedelta(days=7)
QUIET_END = timedelta(days=365)  # "bis die Gruppe endet": 12 months without a post
END_WARNING = timedelta(days=30)
POST_KIND, THREAD_KIND = "groups.post", "groups.thread"


def purge(now: datetime) -> Purged:
    """The retention purger of groups (registered in init_app; flush, the runner commits)."""
    total = Purged()
    for group in _open_groups(Group.retention_days.is_not(None)):
        total = total + expire_content(group, retention.cutoff(now, group.retention_days))
    for group in _open_groups(Group.retention_days.is_(None)):
        if last_activity(group) <= now - QUIET_END:
            total = total + end_group(group, now=now)
    warn(now)
    return total


def _open_groups(*conditions) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group).where(Group.ended_at.is_(None), *conditions).order_by(Group.id)
        )
    )


def last_activity(group: Group) -> datetime:
    return group.last_post_at or group.created_at


def _forget(kind: str, ids: Iterable[int], now: datetime) -> Purged:
    """Mails (queued and sent), due items and timeboxes about these posts or threads."""
    total = outbox.delete_about(kind, ids)
    for subject_id in ids:
        total = total + retention.from_subject(subjects.delete_subject(kind, subject_id, now=now))
    return total


def expire_content(group: Group, before: datetime, *, now: datetime | None = None) -> Purged:
    """Delete the group's posts written before `before`, threads left without posts, and the
    notes last changed before it (flush, no commit)."""
    now = now or before
    post_ids = list(
        db.session.scalars(
            select(Post.id).where(Post.group_id == group.id, Post.created_at < before)
        )
    )
    total = Purged()
    if post_ids:
        total = total + _forget(POST_KIND, post_ids, now)
        total = total + retention.delete_rows(Report, Report.post_id.in_(post_ids))
        total = total + retention.delete_rows(Post, Post.id.in_(post_ids))
    empty = list(
        db.session.scalars(
            select(Thread.id).where(
                Thread.group_id == group.id,
                Thread.created_at < before,
                ~exists().where(Post.thread_id == Thread.id),
            )
        )
    )
    if empty:
        total = total + _forget(THREAD_KIND, empty, now)
        total = total + retention.delete_rows(Thread, Thread.id.in_(empty))
    total = total + retention.delete_rows(Note, Note.group_id == group.id, Note.updated_at < before)
    return total + rounds.expire(group, before, now=now)


def member_users(group_id: int) -> list[User]:
    """The active account members of a group."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id == group_id,
                Membership.status == "active",
            )
            .order_by(User.id)
        )
    )


def _mail(template: str, user: User, *, now: datetime, cause_key: str, about=None) -> None:
    outbox.enqueue_template(
        template,
        to=user.email,
        language=user.language if user.language in ("de", "en") else "de",
        now=now,
        user_id=user.id,
        cause_key=cause_key,
        about=about,
        name=user.display_name,
        link=absolute("groups.index"),
    )


def end_group(group: Group, *, now: datetime, template: str = "group_ended") -> Purged:
    """End a group: tell its members (no name, no content), then delete it with everything
    in it (flush, no commit). `template`: the mail (ended when quiet, or closed by hand)."""
    from peerlab.coaching import grouped as coaching

    people = member_users(group.id)
    group_id = group.id
    coaching.group_ending(group_id, now=now)  # its coaching sessions end with it
    total = rounds.group_ending(group_id, now=now)  # its rounds are deleted (dates cancelled)
    total = total + expire_content(group, now + timedelta(days=1), now=now)
    reached = subjects.delete_subject(SPACE_KIND, group_id, now=now)
    total = total + retention.from_subject(reached) + outbox.delete_about(SPACE_KIND, [group_id])
    db.session.execute(delete(Group).where(Group.id == group_id))
    total = total + Purged(1, frozenset({"groups"}))
    for user in people:
        # A random-looking key would do as well; the group id only keeps the key unique.
        _mail(template, user, now=now, cause_key=f"groups.ended:{group_id}:{user.id}")
    db.session.flush()
    return total


def warn(now: datetime) -> int:
    """Warn before content expires (7 days) and before a quiet group ends (30 days)."""
    sent = 0
    week = now.isocalendar()
    week_key = f"{week.year}-{week.week:02d}"
    for group in _open_groups(Group.retention_days.is_not(None)):
        soon = retention.cutoff(now + WARN_BEFORE, group.retention_days)
        expiring = db.session.scalar(
            select(Post.id).where(Post.group_id == group.id, Post.created_at < soon).limit(1)
        )
        if expiring is None and not rounds.expiring(group, soon):
            continue
        for user in member_users(group.id):
            # once per person and week, whichever of their groups it is about
            _mail("group_expiry", user, now=now, cause_key=f"groups.expiry:{user.id}:{week_key}")
            sent += 1
    for group in _open_groups(Group.retention_days.is_(None)):
        quiet_since = last_activity(group)
        if now < quiet_since + QUIET_END - END_WARNING:
            continue
        for user in member_users(group.id):
            key = f"groups.ending:{group.id}:{user.id}:{quiet_since.date().isoformat()}"
            _mail("group_ending", user, now=now, cause_key=key, about=(SPACE_KIND, group.id))
            sent += 1
    db.session.flush()
    return sent
