"""Deleting a round for good, as its creator or an admin (the page: routes_removal.py).

A round whose date is still ahead (or running) is cancelled first, so everyone invited gets
the calendar cancellation (METHOD:CANCEL, same UID, higher SEQUENCE) before its data goes;
those mails are queued without a reference to the round, so deleting it does not drop them.
A past, closed or already cancelled round is deleted without any mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from peerlab.accounts.actors import Actor
from peerlab.core.errors import NotFound
from peerlab.core.urls import MAX_ID
from peerlab.extensions import db
from peerlab.ical.models import Invitation
from peerlab.lean_coffee import access
from peerlab.lean_coffee.calendar_source import KIND
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import presence, rounds


@dataclass(frozen=True)
class Deletion:
    title: str
    room: str  # the live room of the deleted round, to tell the boards still open
    sockets: tuple[str, ...]  # the sids on its board, to end them after the commit
    cancellations: int  # calendar cancellations queued (0: the round was over or cancelled)


def needs_cancellation(rnd: Round, now: datetime) -> bool:
    """True while the round's date is ahead or running and nobody closed or cancelled it:
    then its invited people still have it in their calendars."""
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        return False
    return now < rnd.starts_at + timedelta(minutes=rnd.planned_minutes)


def cancellation_recipients(round_id: int) -> int:
    """How many people a cancellation would reach (their invitation is not withdrawn)."""
    return (
        db.session.scalar(
            select(func.count()).where(
                Invitation.kind == KIND,
                Invitation.subject_id == round_id,
                Invitation.cancelled_at.is_(None),
            )
        )
        or 0
    )


def _check_id(round_id: int) -> None:
    if not 1 <= round_id <= MAX_ID:  # beyond any id (and beyond what PostgreSQL would take)
        raise NotFound()


def deletable(round_id: int, actor: Actor | None) -> Round:
    """The round if `actor` may delete it; NotFound otherwise (unknown and forbidden alike)."""
    _check_id(round_id)
    rnd = db.session.get(Round, round_id)
    if rnd is None or not access.may_delete(rnd, actor):
        raise NotFound()
    return rnd


def delete_round(round_id: int, actor: Actor | None, *, now: datetime) -> Deletion:
    """Cancel (if needed) and delete the round in the caller's transaction (flush, no commit).

    Takes the round's lock first, so a socket event at the same moment either ran before
    (and is deleted with the round) or finds no round afterwards."""

    _check_id(round_id)
    rnd = rounds.lock(round_id)  # NotFound when it is gone (a second click)
    if not access.may_delete(rnd, actor):
        raise NotFound()
    return purge(rnd, now=now)


def purge(rnd: Round, *, now: datetime) -> Deletion:
    """Cancel (if needed) and delete a round whose lock the caller holds, with no access
    check: for the caller's own rule (the creator above; a group that ends or whose
    retention has passed, peerlab.groups.rounds)."""
    from peerlab.ical import invitations

    sent = 0
    if needs_cancellation(rnd, now):
        rounds.cancel_round(rnd, now=now)
        sent = invitations.send_cancel(KIND, rnd.id, now=now, deleting=True)
    result = Deletion(
        title=rnd.title,
        room=rnd.room,
        sockets=tuple(presence.sockets_in(rnd.id)),
        cancellations=sent,
    )
    rounds.delete_round(rnd, now=now)
    return result


def tell_open_boards(round_id: int, done: Deletion) -> None:
    """After the commit: every open board hears `round:removed` with code "deleted" (and
    shows its own text in the reader's language); then the board's sockets end. Only those
    sids, not the people's rooms: a second round open in another tab stays connected."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from peerlab.core import live
    from peerlab.lean_coffee.events import NAMESPACE, queue_emit

    with force_locale("de"):
        message = _("Diese Runde wurde gelöscht.")
    data = {"round_id": round_id, "code": "deleted", "message": message}
    queue_emit("round:removed", data, to=done.room)

    live.queue_disconnect_sids(
        done.sockets, namespace=NAMESPACE, label=f"disconnect deleted round {round_id}"
    )
