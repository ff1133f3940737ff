"""Who is present: one row per connected socket (sid) and round, written on join and removed on
disconnect. Rows carry the id of the process that holds the socket; after a restart the old
process id is gone, so a single-process server drops every row that is not its own."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select

from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Presence, Round

PROCESS_ID = uuid.uuid4().hex


def connect(rnd: Round, participant: Participant, sid: str, *, now: datetime) -> bool:
    """Record this socket in the round; returns True when the row is new."""
    exists = db.session.scalar(
        select(Presence.id).where(Presence.sid == sid, Presence.round_id == rnd.id)
    )
    if exists:
        return False
    db.session.add(
        Presence(
            round_id=rnd.id,
            participant_id=participant.id,
            sid=sid,
            process_id=PROCESS_ID,
            connected_at=now,
        )
    )
    if participant.joined_at is None:
        participant.joined_at = now
    db.session.flush()
    return True


def rounds_of_sid(sid: str) -> list[int]:
    return list(
        db.session.scalars(select(Presence.round_id).where(Presence.sid == sid).distinct()).all()
    )


def disconnect(sid: str, round_id: int | None = None) -> None:
    stmt = delete(Presence).where(Presence.sid == sid)
    if round_id is not None:
        stmt = stmt.where(Presence.round_id == round_id)
    db.session.execute(stmt)
    db.session.flush()


def sweep_foreign() -> list[int]:
    """Drop rows written by another (dead) process; only valid with a single web process.
    Returns the affected round ids."""
    rounds = db.session.scalars(
        select(Presence.round_id).where(Presence.process_id != PROCESS_ID).distinct()
    ).all()
    if rounds:
        db.session.execute(delete(Presence).where(Presence.process_id != PROCESS_ID))
        db.session.flush()
    return list(rounds)


def present(rnd: Round) -> dict:
    """Present participant ids of signed-in people and the number of present guests."""
    rows = db.session.execute(
        select(Participant.id, Participant.guest_id)
        .join(Presence, Presence.participant_id == Participant.id)
        .where(Presence.round_id == rnd.id, Participant.removed_at.is_(None))
        .distinct()
    ).all()
    people = sorted(pid for pid, guest in rows if guest is None)
    guests = sum(1 for _pid, guest in rows if guest is not None)
    return {"people": people, "guests": guests, "total": len(people) + guests}


def present_ids(rnd: Round) -> set[int]:
    """Participant ids (signed-in people and guests) with at least one connected socket."""
    return set(
        db.session.scalars(
            select(Presence.participant_id).where(Presence.round_id == rnd.id).distinct()
        ).all()
    )


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
