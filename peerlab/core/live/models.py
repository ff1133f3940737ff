"""Which process holds which socket, by identity room, so a kick reaches every process.

One registry of live sockets: every row here (and every presence row, core/presence.py) hangs
off its process's heartbeat row in `live_processes` (a foreign key with ON DELETE CASCADE). A
process beats every few seconds; the due job `core.presence_sweep` drops a process silent for
30 s, and with it its socket rows here and its presence rows, so rows of a crashed process or
of one before a restart never outlive it by more than the sweep's delay.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core import presence
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

HELD = "peerlab.live.held_sockets"


class LiveSocket(db.Model):
    """One connected socket in one of its identity rooms (`user:5`, `guest:8`, `auth:12`).

    Rooms live in each process's memory; this row is what lets a process that handles a
    sign-out or a removal find sockets held by another process (and disconnect them through
    the message queue)."""

    __tablename__ = "live_sockets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), index=True)
    namespace: Mapped[str] = mapped_column(String(64))
    room: Mapped[str] = mapped_column(String(64), index=True)
    process_id: Mapped[str] = mapped_column(
        ForeignKey("live_processes.id", ondelete="CASCADE"), index=True
    )
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime())


def record(
    sid: str,
    namespace: str,
    rooms: list[str],
    now: datetime,
    *,
    process_id: str = presence.PROCESS_ID,
) -> None:
    """Remember this socket under each of its identity rooms (flushes, caller commits). The
    process's heartbeat row is refreshed first, so a row never points to a missing process."""
    presence.beat(now, process_id=process_id)
    _add(sid, namespace, rooms, now, process_id)
    if process_id == presence.PROCESS_ID:
        _held()[(sid, namespace)] = list(rooms)
    db.session.flush()


def forget(sid: str, namespace: str) -> None:
    _held().pop((sid, namespace), None)
    db.session.execute(
        delete(LiveSocket).where(LiveSocket.sid == sid, LiveSocket.namespace == namespace)
    )


def restore(now: datetime) -> int:
    """This process was swept while alive (its heartbeat stalled): record the sockets it still
    holds again (flush only). Called by `presence.beat` when it had to recreate the row."""
    held = _held()
    if held:
        db.session.execute(delete(LiveSocket).where(LiveSocket.process_id == presence.PROCESS_ID))
        for (sid, namespace), rooms in held.items():
            _add(sid, namespace, rooms, now, presence.PROCESS_ID)
        db.session.flush()
    return len(held)


def _add(sid: str, namespace: str, rooms: list[str], now: datetime, process_id: str) -> None:
    for room in rooms:
        db.session.add(
            LiveSocket(
                sid=sid, namespace=namespace, room=room, process_id=process_id, connected_at=now
            )
        )


def _held() -> dict[tuple[str, str], list[str]]:
    """The sockets this process holds, with their identity rooms (per app: a test process
    builds many apps)."""
    return current_app.extensions.setdefault(HELD, {})
