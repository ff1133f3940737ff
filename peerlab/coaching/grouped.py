"""Coaching inside a confidential group (issue 11 + 12): the cast comes from the group's active
members, every name is the person's identity in that group, and a session of a group exists
only for those who are still members of it. The one place coaching asks the groups feature."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select

from peerlab.accounts.models import User
from peerlab.coaching.models import CoachingSession
from peerlab.core import spaces
from peerlab.core.errors import InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import access as group_access
from peerlab.groups.models import SPACE_KIND as GROUP_KIND
from peerlab.groups.models import Group
from peerlab.groups.service import groups as group_service
from peerlab.groups.service.identity import shown_name


def group_of(session: CoachingSession) -> Group | None:
    return db.session.get(Group, session.group_id) if session.group_id is not None else None


def still_member(session: CoachingSession, actor) -> bool:
    """A stand-alone session asks nothing more; a group's session needs an active member."""
    if session.group_id is None:
        return True
    group = group_of(session)
    return group is not None and group_access.POLICY.can_view(group, actor)


def condition(actor) -> ColumnElement[bool]:
    """SQL over CoachingSession: stand-alone, or the actor is an active member of its group."""
    member = spaces.member_condition(GROUP_KIND, CoachingSession.group_id, actor)
    return or_(CoachingSession.group_id.is_(None), member)


def cast_choices(group: Group) -> list[tuple[int, str]]:
    """(user id, identity in the group) of the active members: never a pseudonym's real name."""
    return [(row.user_id, name) for row, name in group_service.members(group) if row.user_id]


def check_cast(group_id: int, creator: User, user_ids: Iterable[int]) -> bool:
    """Refuse a cast with anyone who is no active member (the creator included); returns
    whether the group allows anonymous posts (cards follow it)."""
    from peerlab.accounts.actors import Actor

    group = db.session.get(Group, group_id)
    who = Actor("user", creator.id, creator.display_name, user=creator)
    if group is None or not group_access.POLICY.can_view(group, who):
        raise NotFound()
    members = {uid for uid, _name in cast_choices(group)}
    if not set(user_ids) <= members:
        raise InvalidInput(_("Bitte wählen Sie nur aktive Mitglieder der Gruppe aus."))
    return bool(group.allow_anonymous)


def name_in_group(session: CoachingSession, row: Membership) -> str:
    """The identity the person shows in the session's group (pseudonym where they use one)."""
    user = db.session.get(User, row.user_id) if row.user_id else None
    grow = (
        db.session.scalar(
            select(Membership).where(
                Membership.space_kind == GROUP_KIND,
                Membership.space_id == session.group_id,
                Membership.user_id == row.user_id,
            )
        )
        if row.user_id
        else None
    )
    if grow is None:
        return _("Ehemaliges Mitglied")
    return shown_name(grow, user)


def names_in_group(session: CoachingSession, rows: Iterable[Membership]) -> dict[int, str]:
    """`name_in_group` of many participants (per membership id) in two queries."""
    rows = list(rows)
    ids = sorted({r.user_id for r in rows if r.user_id})
    users, grows = {}, {}
    if ids:
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        grows = {
            g.user_id: g
            for g in db.session.scalars(
                select(Membership).where(
                    Membership.space_kind == GROUP_KIND,
                    Membership.space_id == session.group_id,
                    Membership.user_id.in_(ids),
                )
            )
        }
    names = {}
    for r in rows:
        grow = grows.get(r.user_id) if r.user_id else None
        names[r.id] = (
            shown_name(grow, users.get(r.user_id)) if grow is not None else _("Ehemaliges Mitglied")
        )
    return names


def sessions_of(group: Group, actor, now: datetime) -> list[tuple[CoachingSession, bool]]:
    """The group's sessions not yet over (a session is deleted when it ends), each with whether
    the actor may open it (participants and the member who set it up)."""
    from peerlab.coaching import access

    rows = db.session.scalars(
        select(CoachingSession)
        .where(CoachingSession.group_id == group.id)
        .order_by(CoachingSession.starts_at, CoachingSession.id)
    ).all()
    return [(s, access.may_see_overview(s, actor)) for s in rows]


def member_gone(group_id: int, user_id: int, *, now: datetime) -> None:
    """A member left or was removed: in each of the group's sessions they take part in, their
    role ends (they no longer count for the anonymity floor), a date not yet begun is
    cancelled for them (METHOD:CANCEL), the others' boards update, and their open coaching
    sockets end (after commit, on every process)."""
    from peerlab.coaching import events
    from peerlab.coaching.calendar_source import KIND
    from peerlab.coaching.models import SPACE_KIND
    from peerlab.coaching.service import board
    from peerlab.core.live import queue_disconnect_room
    from peerlab.ical import invitations

    rows = db.session.execute(
        select(Membership, CoachingSession)
        .join(CoachingSession, CoachingSession.id == Membership.space_id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.user_id == user_id,
            Membership.status == "active",
            CoachingSession.group_id == group_id,
        )
        .order_by(CoachingSession.id)
    ).all()
    if not rows:
        return
    user = db.session.get(User, user_id)
    for row, session in rows:
        session = board.lock(session.id)
        if session.started_at is None and user is not None:
            invitations.withdraw(KIND, session.id, user, now=now)
        if session.deputy_id == row.id:
            session.deputy_id = None
        spaces.set_status(row, "left", now=now)
        events.broadcast(session, now)
    queue_disconnect_room(f"user:{user_id}", namespace=board.NAMESPACE)


def allows_anonymous(session: CoachingSession) -> bool:
    """Anonymous cards in a group's session only while the group allows anonymous posts (its
    owners may switch them off at any time; cards already written stay)."""
    if session.group_id is None:
        return True
    group = group_of(session)
    return group is not None and bool(group.allow_anonymous)


def group_ending(group_id: int, *, now: datetime) -> int:
    """The group ends: each of its sessions ends now (dates not yet begun are cancelled for
    everyone; the case giver keeps what they marked, without authors; the rest is deleted)."""
    from peerlab.coaching.calendar_source import KIND
    from peerlab.coaching.service import board, ending
    from peerlab.ical import invitations

    ids = list(
        db.session.scalars(
            select(CoachingSession.id)
            .where(CoachingSession.group_id == group_id)
            .order_by(CoachingSession.id)
        )
    )
    for session_id in ids:
        session = board.lock(session_id)
        if session.started_at is None:
            invitations.send_cancel(KIND, session.id, now=now, deleting=True)
        ending.finish(session, now)
    return len(ids)
