"""A member's own download and ending a group by hand.

- The download holds the asking member's own named and pseudonymous posts with their thread
  titles, nothing of anyone else. Anonymous posts have no author (`membership_id` empty), so
  they cannot be in it, the author's own included.
- Ending by hand deletes the group with everything in it through the same path as the
  retention purge (`expiry.end_group`), then makes the deletion final in the database files
  (`retention.compact`: WAL checkpoint on SQLite, VACUUM on PostgreSQL). Members are told by a
  mail that names no group and carries no content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.core import retention
from peerlab.core.live import queue_disconnect_room, queue_emit
from peerlab.core.retention import Purged
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import expiry
from peerlab.groups.models import Group, Post, Thread
from peerlab.groups.service import groups, identity


@dataclass(frozen=True)
class OwnPost:
    thread: str
    body: str
    written: datetime


def own_posts(group: Group, row: Membership) -> list[OwnPost]:
    """The member's own non-anonymous posts in this group, oldest first, with thread titles."""
    rows = db.session.execute(
        select(Post, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.group_id == group.id,
            Post.membership_id == row.id,
            Post.anonymous.is_(False),
        )
        .order_by(Post.created_at, Post.id)
    ).all()
    return [OwnPost(thread=title, body=post.body, written=post.created_at) for post, title in rows]


def _line(text: str) -> str:
    return " ".join(text.split())


def markdown(group: Group, row: Membership, user: User, *, now: datetime) -> str:
    """The download as Markdown: group name, the member's identity, posts grouped by thread."""
    name = identity.shown_name(row, user)
    out = [
        f"# {_line(group.name)}",
        "",
        _(
            "Ihre eigenen Beiträge als „%(name)s“, Stand %(when)s (UTC).",
            name=name,
            when=now.strftime("%d.%m.%Y %H:%M"),
        ),
        "",
        _(
            "Vertraulich – Chatham-House-Regel: Nennen Sie außerhalb der Gruppe weder Namen "
            "noch Pseudonyme. Anonyme Beiträge sind nicht enthalten: Sie sind mit niemandem "
            "verknüpft, auch nicht mit Ihnen."
        ),
    ]
    posts = own_posts(group, row)
    if not posts:
        out += [
            "",
            _("Sie haben in dieser Gruppe keine eigenen Beiträge mit Namen oder Pseudonym."),
        ]
    current = None
    for post in posts:
        if post.thread != current:
            current = post.thread
            out += ["", f"## {_line(current)}"]
        out += ["", f"*{post.written.strftime('%d.%m.%Y %H:%M')}*", "", post.body.strip()]
    return "\n".join(out) + "\n"


def end_by_owner(group: Group, *, now: datetime) -> Purged:
    """End the group now: everything in it is deleted for real, members get a mail without
    name or content. Commits (the compaction must run outside a transaction)."""
    people = [user.id for user in expiry.member_users(group.id)]
    room = groups.room(group.id)
    total = expiry.end_group(group, now=now, template="group_closed")
    # open pages refresh (to a 404) and the members' group sockets end on every process
    queue_emit("group:changed", {}, to=room, namespace=groups.NAMESPACE)
    for user_id in people:
        queue_disconnect_room(f"user:{user_id}", namespace=groups.NAMESPACE)
    db.session.commit()
    retention.compact(total.tables)
    return total
