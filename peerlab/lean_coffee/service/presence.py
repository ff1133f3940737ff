"""Who is present in a round, on core presence (peerlab/core/presence.py): one row per socket
and round, pointing to the process that holds it; a dead process's rows are swept by core's due
job, which then calls `jobs.presence_gone` for each affected round.

Payloads read presence through `roster(rnd)`: ONE query for the round's participants and
whether each has a socket, whatever the round's size; everything else derives from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from peerlab.core import presence as core
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Round

KIND = "lean_coffee.round"
NAMESPACE = "/lean-coffee"  # the sockets' namespace (events.NAMESPACE)


def room(rnd: Round | int) -> core.Room:
    return core.Room(KIND, rnd if isinstance(rnd, int) else rnd.id)


@dataclass
class Roster:
    """Every participant of a round (removed ones too, by id) and who is here now."""

    everyone: list[Participant]
    here: set[int]  # ids of participants (not removed) with at least one socket

    @property
    def active(self) -> list[Participant]:
        return [p for p in self.everyone if p.removed_at is None]

    def by_id(self) -> dict[int, Participant]:
        return {p.id: p for p in self.everyone}

    def summary(self) -> dict:
        """Present participant ids of signed-in people and the number of present guests."""
        present = [p for p in self.active if p.id in self.here]
        people = sorted(p.id for p in present if p.guest_id is None)
        guests = sum(1 for p in present if p.guest_id is not None)
        return {"people": people, "guests": guests, "total": len(people) + guests}

    @property
    def count(self) -> int:
        return len(self.here)


def roster(rnd: Round) -> Roster:
    """One statement: participants (fresh from the database, with their user) and presence."""
    here = core.is_present_clause(KIND, rnd.id, Participant.id)
    rows = db.session.execute(
        select(Participant, here)
        .where(Participant.round_id == rnd.id)
        .order_by(Participant.id)
        .execution_options(populate_existing=True)
    ).all()
    everyone = [p for p, _present in rows]
    present = {p.id for p, is_here in rows if is_here and p.removed_at is None}
    return Roster(everyone, present)


def guest_rows(round_id: int) -> list[tuple[int, str, bool]]:
    """The round's guests (not removed) as (participant id, chosen name, present), in one
    statement of plain rows: what a facilitator's `me` lists, without loading the roster."""
    here = core.is_present_clause(KIND, round_id, Participant.id)
    rows = db.session.execute(
        select(Participant.id, Participant.display_name, here)
        .where(
            Participant.round_id == round_id,
            Participant.guest_id.is_not(None),
            Participant.removed_at.is_(None),
        )
        .order_by(Participant.id)
    ).all()
    return [(pid, name, bool(is_here)) for pid, name, is_here in rows]


def connect(rnd: Round, participant: Participant, sid: str, *, now: datetime) -> bool:
    """Record this socket in the round; returns True when the row is new."""
    fresh = core.join(room(rnd), participant.id, sid, now=now, namespace=NAMESPACE)
    if participant.joined_at is None:
        participant.joined_at = now
        db.session.flush()
    return fresh


def rounds_of_sid(sid: str) -> list[int]:
    return core.rooms_of_sid(KIND, sid)


def disconnect(sid: str, round_id: int | None = None) -> None:
    if round_id is None:
        core.disconnect(KIND, sid)
    else:
        core.leave(room(round_id), sid)


def drop_participant(rnd: Round, participant_id: int) -> None:
    """A removed participant's sockets no longer count as present."""
    core.drop_member(room(rnd), participant_id)


def present(rnd: Round) -> dict:
    """Present participant ids of signed-in people and the number of present guests."""
    return roster(rnd).summary()


def present_ids(rnd: Round) -> set[int]:
    """Participant ids (signed-in people and guests) with at least one connected socket."""
    return roster(rnd).here


def present_count(rnd: Round) -> int:
    return roster(rnd).count


def has_guests(rnd: Round) -> bool:
    """Whether the round has a (not removed) guest: their facilitators follow their presence."""
    return (
        db.session.scalar(
            select(Participant.id)
            .where(
                Participant.round_id == rnd.id,
                Participant.guest_id.is_not(None),
                Participant.removed_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def sockets_in(round_id: int) -> list[str]:
    """The sids of every socket on the round's board (e.g. to end them when it is deleted)."""
    return list(
        db.session.scalars(
            select(core.PresenceRow.sid).where(
                core.PresenceRow.kind == KIND, core.PresenceRow.subject_id == round_id
            )
        )
    )
