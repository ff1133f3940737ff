"""Leaving, removal and replacement of members.

- A member may leave at any time and chooses: keep their check-ins under their name (shown as
  a former member) or delete them. Their private workspace goes with them (it is nobody
  else's, and a former member no longer sees the circle).
- The facilitator may remove a member (or withdraw an open invitation) and invite an existing
  account as a replacement while the circle still has a meeting ahead; the newcomer gets the
  series invitation on accepting (service.circles.answer_invitation).
- Whoever leaves or is removed gets METHOD:CANCEL for the series, they alone; the others keep
  their invitation. A circle whose last facilitator leaves passes the role to the member who
  joined first.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle, Contribution, Goal, Relationship
from peerlab.circles.models_schedule import Absence, ReminderOptOut
from peerlab.circles.service.circles import MAX_MEMBERS, members
from peerlab.circles.service.schedule_changes import require_facilitator
from peerlab.core import spaces
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db


def leave(circle_id: int, actor, *, keep_checkins: bool, now: datetime) -> Circle:
    circle, row = access.require_member(circle_id, actor)
    _drop(circle, row, status="left", keep_checkins=keep_checkins, now=now)
    return circle


def remove(circle_id: int, actor, membership_id: int, *, now: datetime) -> User:
    """The facilitator removes another member (their check-ins stay, as a former member's)
    or withdraws an open invitation."""
    circle, me = require_facilitator(circle_id, actor)
    row = db.session.get(Membership, membership_id)
    if (
        row is None
        or row.space_kind != SPACE_KIND
        or row.space_id != circle.id
        or row.status not in ("active", "invited")
    ):
        raise NotFound()
    if row.id == me.id:
        raise InvalidInput(_("Sich selbst entfernt man nicht; bitte verlassen Sie den Circle."))
    user = db.session.get(User, row.user_id)
    if row.status == "invited":
        spaces.set_status(row, "removed", now=now)
    else:
        _drop(circle, row, status="removed", keep_checkins=True, now=now)
    return user


def invite_replacement(circle_id: int, actor, user_id: int, *, now: datetime) -> User:
    """Invite an existing account into a running circle (new addresses: invite_address)."""
    circle, _me = require_facilitator(circle_id, actor)
    user = db.session.get(User, user_id)
    if user is None or user.status != "active":
        raise InvalidInput(_("Diese Person gibt es nicht (mehr)."))
    return _invite(circle, user, now=now)


def invite_address(circle_id: int, actor, address: str, *, now: datetime) -> User:
    """A facilitator who is an organizer (or admin) brings in a new address: peerlab invites
    the person (account invitation mail) and the circle invites the account; they see the
    circle's invitation once they have signed up. An address with an account is invited
    like any existing account."""
    from peerlab.accounts import invitations as account_invitations
    from peerlab.accounts import service as accounts

    circle, _me = require_facilitator(circle_id, actor)
    if actor.user is None or actor.user.role not in access.CREATORS:
        raise Forbidden(_("Neue Adressen lädt eine Organisatorin oder ein Organisator ein."))
    email = accounts.normalize_email(address)  # InvalidInput for a bad address
    found = accounts.find_by_email(email)
    if found is not None and found.status == "active":
        return _invite(circle, found, now=now)
    if found is not None and found.status != "invited":
        raise InvalidInput(_("Diese Person gibt es nicht (mehr)."))
    _check_room(circle, now)  # before peerlab sends the account invitation
    account_invitations.invite_many(actor.user, email, role="member", now=now)
    return _invite(circle, accounts.find_by_email(email), now=now)


def _check_room(circle: Circle, now: datetime) -> None:
    if schedule.current(circle, now) is None:
        raise Conflict(_("Der Circle hat kein Treffen mehr vor sich."))
    if len(members(circle)) >= MAX_MEMBERS:
        raise InvalidInput(_("Ein Circle hat höchstens 8 Mitglieder."))


def _invite(circle: Circle, user: User, *, now: datetime) -> User:
    _check_room(circle, now)
    found = db.session.scalar(
        select(Membership).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == circle.id,
            Membership.user_id == user.id,
        )
    )
    if found is not None and found.status in ("active", "invited"):
        raise InvalidInput(_("%(name)s gehört schon zum Circle.", name=user.display_name))
    if found is None:
        spaces.add_member(SPACE_KIND, circle.id, now=now, user_id=user.id, status="invited")
    else:  # came back after leaving: invited again, their old entries stay theirs
        found.role = "member"
        spaces.set_status(found, "invited", now=now)
    db.session.flush()
    return user


def _drop(
    circle: Circle, row: Membership, *, status: str, keep_checkins: bool, now: datetime
) -> None:
    from peerlab.ical import invitations

    was_facilitator = row.role == "facilitator"
    spaces.set_status(row, status, now=now)
    if not keep_checkins:
        db.session.execute(delete(CheckIn).where(CheckIn.membership_id == row.id))
    for model in (Goal, Relationship, Contribution, Absence, ReminderOptOut):
        db.session.execute(delete(model).where(model.membership_id == row.id))
    if was_facilitator:
        row.role = "member"
        ensure_facilitator(circle)
    user = db.session.get(User, row.user_id)
    if user is not None:
        invitations.withdraw(SPACE_KIND, circle.id, user, now=now)
    db.session.flush()


def ensure_facilitator(circle: Circle) -> None:
    """Give the facilitator role to the earliest active member when no one has it (the
    last one left, or an organizer set the circle up without joining)."""
    rows = db.session.scalars(
        select(Membership)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == circle.id,
            Membership.status == "active",
        )
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    if rows and not any(r.role == "facilitator" for r in rows):
        rows[0].role = "facilitator"


def former_ids(circle: Circle) -> set[int]:
    """Membership ids of people who left or were removed (their kept check-ins say so)."""
    return set(
        db.session.scalars(
            select(Membership.id).where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id == circle.id,
                Membership.status.in_(("left", "removed")),
            )
        )
    )
