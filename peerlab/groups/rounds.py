"""Group meetings run as a Lean Coffee round restricted to the group ("Gruppentreffen").

The groups feature registers its rule with Lean Coffee (`lean_coffee.access.register_group_rule`,
from init_app): a round of a group exists only for the group's active members, and every name in
it is the person's identity in the group. Rounds are made with Lean Coffee's own services; what
the group adds lives here: who may schedule one, that a member who joined later comes in, that
a former member's place, calendar date and sockets end at once, that the rounds go with the
group's retention and with the group itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, select

from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.core.errors import NotFound
from peerlab.core.retention import Purged
from peerlab.core.spaces import Membership
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.models import SPACE_KIND, Group
from peerlab.groups.service.identity import shown_name
from peerlab.lean_coffee import access as round_access
from peerlab.lean_coffee.models import Participant, Round

# Everything a round holds goes with it (foreign-key cascade): the tables compacted after.
ROUND_TABLES = frozenset(
    {
        "lean_coffee_rounds",
        "lean_coffee_participants",
        "lean_coffee_topics",
        "lean_coffee_votes",
        "lean_coffee_roman_votes",
        "lean_coffee_thumbs",
        "lean_coffee_takeaways",
        "lean_coffee_action_items",
        "memberships",
    }
)


def condition(actor) -> ColumnElement[bool]:
    """SQL over Round: the actor is an active member of the round's group, which is open."""
    if actor is None or actor.kind != "user":
        return false()
    member = spaces.member_condition(SPACE_KIND, Round.group_id, actor)
    group_open = exists(
        select(Group.id).where(Group.id == Round.group_id, Group.ended_at.is_(None))
    )
    return and_(member, group_open)


def names(rnd: Round) -> dict[int, str]:
    """User id -> the identity each active member shows in the round's group."""
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == rnd.group_id,
            Membership.status == "active",
        )
    ).all()
    return {row.user_id: shown_name(row, user) for row, user in rows}


def allows_anonymous(rnd: Round) -> bool:
    group = db.session.get(Group, rnd.group_id) if rnd.group_id is not None else None
    return group is not None and bool(group.allow_anonymous)


def page_url(rnd: Round) -> str:
    return absolute("groups.show", group_id=rnd.group_id)


def register() -> None:
    """Open group rounds to their group's members (from the groups feature's init_app)."""
    round_access.register_group_rule(
        condition,
        round_access.GroupHooks(names=names, allows_anonymous=allows_anonymous, page_url=page_url),
        bindable=True,  # `condition` reads only the actor's kind and id (is_person)
    )


def may_schedule(group: Group, row: Membership) -> bool:
    """Owners, and every member where members may invite (they bring people together)."""
    return access.may_invite_accounts(group, row)


def schedule(group: Group, row: Membership, settings, *, creator: User, now: datetime) -> Round:
    """A round of the group (Lean Coffee's create_round): the scheduling member facilitates,
    every other active member is invited and gets the sealed calendar date. Anonymous topics
    follow the group's setting; never a guest link."""
    from peerlab.lean_coffee import calendar_source
    from peerlab.lean_coffee.service import rounds

    if not may_schedule(group, row):
        raise NotFound()
    settings = replace(
        settings,
        access="invited",
        anonymous_allowed=bool(settings.anonymous_allowed and group.allow_anonymous),
    )
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == group.id,
            Membership.status == "active",
            User.id != creator.id,
        )
        .order_by(User.id)
    ).all()
    rnd = rounds.create_round(
        settings, creator=creator, invitees=list(members), now=now, group_id=group.id
    )
    calendar_source.invite_all(rnd, organizer=creator, now=now)
    return rnd


def round_of(group: Group, round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None or rnd.group_id != group.id:
        raise NotFound()
    return rnd


def enter(rnd: Round, user: User, *, now: datetime) -> Participant:
    """A member opens a round of their group: one who joined the group after it was scheduled
    (or came back) gets their place (invited, not yet joined)."""
    from peerlab.lean_coffee.service import rounds

    row = db.session.scalar(
        select(Participant).where(Participant.round_id == rnd.id, Participant.user_id == user.id)
    )
    if row is not None and row.removed_at is not None:
        row.removed_at = None  # a member again: the place of their earlier membership
        db.session.flush()
        return row
    return rounds.ensure_participant(rnd, user=user, now=now, joined=False)


def rounds_of(group: Group) -> tuple[list[Round], list[Round]]:
    """The group's rounds: (upcoming by date, past newest first)."""
    rows = db.session.scalars(
        select(Round).where(Round.group_id == group.id).order_by(Round.starts_at, Round.id)
    ).all()
    upcoming = [r for r in rows if r.phase != "closed" and r.cancelled_at is None]
    past = [r for r in reversed(rows) if r not in upcoming]
    return upcoming, past


def member_gone(group_id: int, user_id: int, *, now: datetime) -> None:
    """A member left or was removed: their place in each of the group's rounds ends now (they
    no longer count for the anonymity floor), dates not yet begun are cancelled for them
    (METHOD:CANCEL), the boards update, and their sockets on those boards end after commit."""
    from peerlab.core import live
    from peerlab.core import presence as core_presence
    from peerlab.ical import invitations
    from peerlab.lean_coffee.calendar_source import KIND
    from peerlab.lean_coffee.events import NAMESPACE, broadcast
    from peerlab.lean_coffee.service import presence, rounds

    places = db.session.scalars(
        select(Participant)
        .join(Round, Round.id == Participant.round_id)
        .where(
            Round.group_id == group_id,
            Participant.user_id == user_id,
            Participant.status.in_(("invited", "active")),
        )
        .order_by(Participant.id)
    ).all()
    user = db.session.get(User, user_id)
    for place in places:
        rnd = rounds.lock(place.round_id)
        sids = db.session.scalars(
            select(core_presence.PresenceRow.sid).where(
                core_presence.PresenceRow.kind == presence.KIND,
                core_presence.PresenceRow.subject_id == rnd.id,
                core_presence.PresenceRow.member_id == place.id,
            )
        ).all()
        ahead = rnd.cancelled_at is None and rnd.phase != "closed" and rnd.starts_at > now
        if ahead and user is not None:
            invitations.withdraw(KIND, rnd.id, user, now=now)
        place.removed_at = now
        presence.drop_participant(rnd, place.id)
        db.session.flush()
        broadcast(rnd, now)
        live.queue_disconnect_sids(sids, namespace=NAMESPACE, label=f"left group, round {rnd.id}")


def _delete(rnd_id: int, *, now: datetime) -> Purged:
    """Delete one round for real (Lean Coffee's removal: a date still ahead is cancelled for
    everyone first, the mails name nothing; its open boards hear "deleted" and end). The
    round's rows go by foreign-key cascade, what refers to it through core.subjects."""
    from peerlab.core.subjects import registered_tables
    from peerlab.lean_coffee.service import removal, rounds

    done = removal.purge(rounds.lock(rnd_id), now=now)
    removal.tell_open_boards(rnd_id, done)
    return Purged(1, ROUND_TABLES | frozenset(registered_tables()))


def group_ending(group_id: int, *, now: datetime) -> Purged:
    """The group ends: each of its rounds is deleted (a date still ahead is cancelled for
    everyone with METHOD:CANCEL; the mails name neither group nor round)."""
    total = Purged()
    ids = list(
        db.session.scalars(select(Round.id).where(Round.group_id == group_id).order_by(Round.id))
    )
    for rnd_id in ids:
        total = total + _delete(rnd_id, now=now)
    return total


def expire(group: Group, before: datetime, *, now: datetime) -> Purged:
    """Rounds of the group that began before `before` (the retention's cut-off): deleted."""
    total = Purged()
    ids = list(
        db.session.scalars(
            select(Round.id)
            .where(Round.group_id == group.id, Round.starts_at < before)
            .order_by(Round.id)
        )
    )
    for rnd_id in ids:
        total = total + _delete(rnd_id, now=now)
    return total


def expiring(group: Group, soon: datetime) -> bool:
    """Whether a round of the group will have outlived the retention at `soon` (the warning)."""
    return (
        db.session.scalar(
            select(Round.id).where(Round.group_id == group.id, Round.starts_at < soon).limit(1)
        )
        is not None
    )
