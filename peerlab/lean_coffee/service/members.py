"""The people of a round: who is in it (participants by invitation, by link, or as guests
with a pass), inviting more people, and removing a guest. Split from rounds.py; `rounds`
re-exports these names."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import GuestPass, User
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.access import GUEST_SCOPE
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import presence


def participant_in(rnd: Round, participant_id: int) -> Participant:
    other = db.session.get(Participant, participant_id)
    if other is None or other.round_id != rnd.id or other.removed_at is not None:
        raise NotFound()
    return other


def remove_guest(rnd: Round, target_id: int, *, now: datetime) -> Participant:
    """Remove a guest: the pass is revoked, presence dropped; topics and cast dots stay."""
    if rnd.phase == "closed":
        raise WrongPhase()
    target = participant_in(rnd, target_id)
    if not target.is_guest:
        raise Conflict(_("Nur Gäste können aus der Runde entfernt werden."), code="forbidden")
    target.removed_at = now
    guest = db.session.get(GuestPass, target.guest_id)
    if guest is not None and guest.revoked_at is None:
        guest.revoked_at = now
    presence.drop_participant(rnd, target.id)
    db.session.flush()
    return target


def ensure_participant(
    rnd: Round,
    *,
    user: User | None = None,
    guest: GuestPass | None = None,
    now: datetime,
    joined: bool = True,
) -> Participant:
    """Add a person who came by the round's link (idempotent for users); `joined=False` for
    someone who is only invited (joined_at stays empty until they come to the board)."""
    if user is not None:
        existing = db.session.scalar(
            select(Participant).where(
                Participant.round_id == rnd.id, Participant.user_id == user.id
            )
        )
        if existing is not None:
            if existing.removed_at is not None:
                raise Forbidden()
            return existing
        participant = Participant(
            round_id=rnd.id,
            user_id=user.id,
            role="participant",
            invited=False,
            votes_used=0,
            created_at=now,
            joined_at=now if joined else None,
        )
    else:
        assert guest is not None and guest.scope_kind == GUEST_SCOPE and guest.scope_id == rnd.id
        participant = Participant(
            round_id=rnd.id,
            guest_id=guest.id,
            role="guest",
            display_name=guest.display_name,
            votes_used=0,
            created_at=now,
            joined_at=now,
        )
    db.session.add(participant)
    db.session.flush()
    return participant


def create_guest(rnd: Round, display_name: str, *, now: datetime) -> tuple[GuestPass, str]:
    """A guest pass for this round only; returns (pass, secret for the cookie session)."""
    from peerlab.accounts.tokens import digest, new_secret

    name = " ".join((display_name or "").split())
    if not name or len(name) > 60:
        raise InvalidInput(_("Bitte geben Sie einen Namen mit höchstens 60 Zeichen an."))
    secret = new_secret()
    guest = GuestPass(
        token_hash=digest(secret),
        display_name=name,
        scope_kind=GUEST_SCOPE,
        scope_id=rnd.id,
        created_at=now,
    )
    db.session.add(guest)
    db.session.flush()
    return guest, secret


def invite_people(rnd: Round, people: list[User], *, organizer: User, now: datetime) -> None:
    """Invite more people to an existing round: a participant row and a calendar invitation
    each (invitations are idempotent per person)."""
    from peerlab.lean_coffee import calendar_source

    for user in people:
        participant = ensure_participant(rnd, user=user, now=now, joined=False)
        participant.invited = True
        calendar_source.invite_one(rnd, user, organizer=organizer, now=now)
