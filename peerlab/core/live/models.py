"""Which process holds which socket, by identity room, so a kick reaches every process."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

# This process; rows of another process id in a single-process setup are left from before a
# restart (no socket survives one).
PROCESS_ID = uuid.uuid4().hex
_swept = {"done": False}


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
    process_id: Mapped[str] = mapped_column(String(32), index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime())


def record(sid: str, namespace: str, rooms: list[str], now: datetime) -> None:
    """Remember this socket under each of its identity rooms (flushes, caller commits)."""
    _sweep_once()
    for room in rooms:
        db.session.add(
            LiveSocket(
                sid=sid, namespace=namespace, room=room, process_id=PROCESS_ID, connected_at=now
            )
        )
    db.session.flush()


def forget(sid: str, namespace: str) -> None:
    db.session.execute(
        delete(LiveSocket).where(LiveSocket.sid == sid, LiveSocket.namespace == namespace)
    )


def _sweep_once() -> None:
    """A single process restarted: no socket of the previous one is alive."""
    if _swept["done"] or current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return
    db.session.execute(delete(LiveSocket).where(LiveSocket.process_id != PROCESS_ID))
    _swept["done"] = True
