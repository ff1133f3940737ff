"""Threads, posts, the group's shared notes and reports to the owners.

Limits: 5,000 characters per post, 30 posts per member per hour; authors edit or delete their
own posts within 15 minutes; owners remove any post. Deleting deletes the row. Broadcasts say
only which thread changed (a random public id): each page fetches what its reader may see.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from peerlab.accounts.models import User
from peerlab.core import activity
from peerlab.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from peerlab.core.live import queue_emit
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, Group, Note, Post, Report, Thread
from peerlab.groups.service import identity
from peerlab.groups.service.groups import NAMESPACE, room

MAX_BODY = 5000
MAX_TITLE = 200
MAX_NOTES = 20000
PER_HOUR = 30
EDIT_WINDOW = timedelta(minutes=15)


def public_id() -> str:
    return secrets.token_urlsafe(12)


def _text(value: str, *, limit: int, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("Bitte schreiben Sie %(what)s.", what=what), code="empty")
    if len(text) > limit:
        from flask_babel import format_decimal

        raise InvalidInput(
            _(
                "Höchstens %(limit)s Zeichen – Ihr Text hat %(n)s.",
                limit=format_decimal(limit),
                n=format_decimal(len(text)),
            ),
            code="too_long",
        )
    return text


def check_body(body: str) -> str:
    return _text(body, limit=MAX_BODY, what=_("einen Beitrag"))


def _check_rate(row: Membership, now: datetime) -> None:
    recent = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.membership_id == row.id, Post.created_at > now - timedelta(hours=1)
        )
    )
    if recent >= PER_HOUR:
        raise RateLimited(
            _(
                "Sie haben in der letzten Stunde %(n)d Beiträge geschrieben. Bitte warten Sie.",
                n=PER_HOUR,
            )
        )


def _add_post(group: Group, thread: Thread, row: Membership, body: str, now: datetime) -> Post:
    post = Post(
        public_id=public_id(),
        thread_id=thread.id,
        group_id=group.id,
        membership_id=row.id,
        anonymous=False,
        body=body,
        created_at=now,
    )
    db.session.add(post)
    thread.last_post_at = now
    group.last_post_at = now
    db.session.flush()
    # The daily digest of the others: "something new", no group, no content.
    activity.report_space(SPACE_KIND, group.id, now=now, besides=row.user_id)
    return post


def start_thread(group: Group, row: Membership, title: str, body: str, *, now: datetime) -> Thread:
    title = _text(title, limit=MAX_TITLE, what=_("einen Titel"))
    body = _text(body, limit=MAX_BODY, what=_("einen Beitrag"))
    _check_rate(row, now)
    thread = Thread(
        public_id=public_id(), group_id=group.id, title=title, created_at=now, last_post_at=now
    )
    db.session.add(thread)
    db.session.flush()
    _add_post(group, thread, row, body, now)
    changed(group.id, thread)
    return thread


def reply(group: Group, thread: Thread, row: Membership, body: str, *, now: datetime) -> Post:
    body = _text(body, limit=MAX_BODY, what=_("einen Beitrag"))
    _check_rate(row, now)
    post = _add_post(group, thread, row, body, now)
    changed(group.id, thread)
    return post


def thread_of(group: Group, public: str) -> Thread:
    thread = db.session.scalar(
        select(Thread).where(Thread.group_id == group.id, Thread.public_id == str(public)[:24])
    )
    if thread is None:
        raise NotFound()
    return thread


def post_of(group: Group, public: str, now: datetime) -> Post:
    post = db.session.scalar(
        select(Post).where(Post.group_id == group.id, Post.public_id == str(public)[:24])
    )
    if post is None or post.created_at > now:  # not yet published: nobody's to see
        raise NotFound()
    return post


def may_change(post: Post, row: Membership, now: datetime) -> bool:
    """The author, within 15 minutes of writing."""
    return (
        post.membership_id is not None
        and post.membership_id == row.id
        and now - post.created_at <= EDIT_WINDOW
    )


def _require_author(post: Post, row: Membership) -> None:
    """Someone else's post: "not found" (nothing to learn about who wrote it)."""
    if post.membership_id is None or post.membership_id != row.id:
        raise NotFound()


def edit(group: Group, post: Post, row: Membership, body: str, *, now: datetime) -> None:
    _require_author(post, row)
    if not may_change(post, row, now):
        raise Conflict(
            _("Eigene Beiträge lassen sich nur 15 Minuten lang ändern."), code="edit_window"
        )
    post.body = _text(body, limit=MAX_BODY, what=_("einen Beitrag"))
    post.edited_at = now
    db.session.flush()
    changed(group.id, db.session.get(Thread, post.thread_id))


def delete_own(group: Group, post: Post, row: Membership, *, now: datetime) -> None:
    _require_author(post, row)
    if not may_change(post, row, now):
        raise Conflict(
            _("Eigene Beiträge lassen sich nur 15 Minuten lang löschen."), code="edit_window"
        )
    _delete(group, post)


def remove(group: Group, post: Post) -> None:
    """An owner removes an abusive post (the row is deleted; nobody learns who wrote it)."""
    _delete(group, post)


def _delete(group: Group, post: Post) -> None:
    from peerlab.core import authormarks

    thread = db.session.get(Thread, post.thread_id)
    if post.anonymous:
        authormarks.forget("groups.post", post.id)
    db.session.execute(delete(Post).where(Post.id == post.id))
    db.session.flush()
    left = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id))
    if not left:
        db.session.execute(delete(Thread).where(Thread.id == thread.id))
        db.session.flush()
    changed(group.id, thread)


def report(post: Post, row: Membership, *, now: datetime) -> bool:
    """Report a post to the owners; False if this member had reported it already."""
    known = db.session.scalar(
        select(Report.id).where(Report.post_id == post.id, Report.membership_id == row.id)
    )
    if known:
        return False
    db.session.add(Report(post_id=post.id, membership_id=row.id, created_at=now))
    db.session.flush()
    return True


def reported_posts(group: Group) -> dict[int, int]:
    """Post id -> number of reports (owners see counts, never who reported)."""
    rows = db.session.execute(
        select(Report.post_id, func.count(Report.id))
        .join(Post, Post.id == Report.post_id)
        .where(Post.group_id == group.id)
        .group_by(Report.post_id)
    ).all()
    return dict(rows)


def threads(group: Group, now: datetime) -> list[tuple[Thread, int]]:
    rows = db.session.execute(
        select(Thread, func.count(Post.id))
        .join(Post, Post.thread_id == Thread.id)
        .where(Thread.group_id == group.id, Post.created_at <= now)
        .group_by(Thread.id)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
    ).all()
    return [(t, n) for t, n in rows]


def posts(thread: Thread, now: datetime) -> list[tuple[Post, str]]:
    """Published posts with the name each shows: the author's identity in this group, or
    "Anonym" for a post without author."""
    rows = db.session.execute(
        select(Post, Membership, User)
        .outerjoin(Membership, Membership.id == Post.membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .where(Post.thread_id == thread.id, Post.created_at <= now)
        .order_by(Post.created_at, Post.public_id)
    ).all()
    return [(p, identity.shown_name(m, u) if m is not None else _("Anonym")) for p, m, u in rows]


def note(group: Group) -> Note | None:
    return db.session.scalar(select(Note).where(Note.group_id == group.id))


def save_note(
    group: Group, row: Membership, body: str, *, seen_version: int, now: datetime
) -> Note:
    """Replace the shared notes; a version the writer did not see is refused (no lost edit)."""
    body = (body or "").strip()
    if len(body) > MAX_NOTES:
        raise InvalidInput(_("Die Notizen haben höchstens 20.000 Zeichen."), code="too_long")
    current = note(group)
    if current is None:
        current = Note(group_id=group.id, body="", updated_at=now, version=0)
        db.session.add(current)
    if current.version != seen_version:
        raise Conflict(
            _("Jemand hat die Notizen inzwischen geändert. Bitte laden Sie die Seite neu."),
            code="stale",
        )
    current.body = body
    current.updated_at = now
    current.updated_by_id = row.id
    current.version = (current.version or 0) + 1
    db.session.flush()
    queue_emit("group:changed", {}, to=room(group.id), namespace=NAMESPACE)
    return current


def note_author(current: Note | None) -> str | None:
    if current is None or current.updated_by_id is None:
        return None
    row = db.session.get(Membership, current.updated_by_id)
    if row is None:
        return None
    return identity.shown_name(row, db.session.get(User, row.user_id) if row.user_id else None)


def changed(group_id: int, thread: Thread | None) -> None:
    data = {"thread": thread.public_id} if thread is not None else {}
    queue_emit("group:changed", data, to=room(group_id), namespace=NAMESPACE)
