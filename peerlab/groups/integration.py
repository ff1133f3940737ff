"""What groups contribute elsewhere: dashboard, export, account deletion, operator counts.

The dashboard names a group only to its active members. The export lists each group with the
member's own pseudonym and own non-anonymous posts (anonymous posts have no author, so they
are in nobody's export). Deleting an account deletes the person's group posts and rows.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.models import SPACE_KIND, Group, GroupMember, Post, Report, Thread
from peerlab.groups.service import invites
from peerlab.pages.dashboard import DashboardPart, TodoItem


def _actor(user: User):
    from peerlab.accounts.actors import Actor

    return Actor("user", user.id, user.display_name, user=user)


def dashboard(user: User, now: datetime) -> DashboardPart:
    """My groups with new posts since I joined, and a note about open invitations (no name:
    the link to an invitation is in its mail)."""
    part = DashboardPart()
    groups = db.session.scalars(
        access.POLICY.visible(select(Group).order_by(Group.name), _actor(user))
    ).all()
    for group in groups:
        part.todos.append(
            TodoItem(
                text=_("Vertrauliche Gruppe „%(name)s“ öffnen", name=group.name),
                url=url_for("groups.show", group_id=group.id),
                due=None,
                label=_("Gruppe"),
            )
        )
    waiting = invites.pending_for(user, now=now)
    if waiting:
        part.invitations.append(
            TodoItem(
                text=_("Einladung in eine vertrauliche Gruppe – der Link steht in der E-Mail."),
                url=url_for("groups.index"),
                due=None,
                label=_("Gruppe"),
            )
        )
    return part


def _my_rows(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).where(
                Membership.space_kind == SPACE_KIND, Membership.user_id == user.id
            )
        )
    )


def export_user(user: User) -> list[dict]:
    """Each group the person is an active member of, with their own pseudonym and own
    non-anonymous posts. A former member sees nothing of a group from the moment of leaving,
    in the export too."""
    result = []
    for row in _my_rows(user):
        group = db.session.get(Group, row.space_id)
        if group is None or group.ended_at is not None or row.status != "active":
            continue
        posts = db.session.execute(
            select(Post, Thread.title)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.membership_id == row.id, Post.anonymous.is_(False))
            .order_by(Post.created_at)
        ).all()
        result.append(
            {
                "group": group.name,
                "pseudonym": row.display_name or None,
                "posts": [
                    {"thread": title, "text": p.body, "written": p.created_at.isoformat()}
                    for p, title in posts
                ],
            }
        )
    return result


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """The person's named and pseudonymous posts go with the account either way (in a
    confidential group nothing stays under "former member"); anonymous posts have no author
    and stay."""
    ids = [row.id for row in _my_rows(user)]
    if ids:
        db.session.execute(delete(Report).where(Report.membership_id.in_(ids)))
        db.session.execute(delete(Post).where(Post.membership_id.in_(ids)))
        db.session.execute(delete(GroupMember).where(GroupMember.membership_id.in_(ids)))
        db.session.execute(delete(Membership).where(Membership.id.in_(ids)))
    db.session.flush()
