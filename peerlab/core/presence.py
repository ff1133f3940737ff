"""Who is connected to which live room, across several web processes.

Rooms are per process (Socket.IO keeps them in memory), so presence lives in the database: one row
per socket and room (`PresenceRow`), each pointing to the process that holds the socket
(`LiveProcess`). The live layer's socket rows (`live_sockets`: a socket's identity rooms, for
kicks; core/live/models.py) point to the same process row: `live_processes` is the one registry of
the processes holding sockets, and everything recorded about a socket goes with its process. A
process does not refresh its rows; it refreshes ONE heartbeat row every `HEARTBEAT_SECONDS` from a
background task of its own (also with SCHEDULER=external, where it runs no jobs). The due job
`sweep_dead_processes` (run by whichever process runs jobs) drops a process silent for
`SILENT_SECONDS` together with its presence rows and its socket rows (ON DELETE CASCADE: also the
rows left from before a restart) and tells each affected room's format through the callback it
registered with `on_change(kind, fn)`.

A room may keep no presence at all (`Room(kind, id, presence=False)`), and a whole room kind
may switch it off (`without_presence(kind)` in the feature's init_app, e.g. confidential
groups): nothing is written for such a room and nobody is shown as present, whatever a caller
passes as `Room(..., presence=)`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core import registry
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

log = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex
HEARTBEAT_SECONDS = 10
SILENT_SECONDS = 30

ChangeHandler = Callable[[int, datetime], None]


class LiveProcess(db.Model):
    """A process that holds sockets; alive while its heartbeat is fresh."""

    __tablename__ = "live_processes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PresenceRow(db.Model):
    """One connected socket in one room (kind + subject id) of one member of that room."""

    __tablename__ = "live_presence"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "sid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    # The format's own member id (a Lean Coffee participant, a circle member, …).
    member_id: Mapped[int] = mapped_column(Integer, index=True)
    sid: Mapped[str] = mapped_column(String(64), index=True)
    namespace: Mapped[str] = mapped_column(String(64), default="/")
    process_id: Mapped[str] = mapped_column(
        ForeignKey("live_processes.id", ondelete="CASCADE"), index=True
    )
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Room:
    """A live room as presence sees it; `presence=False` records and shows nobody."""

    kind: str
    subject_id: int
    presence: bool = True


def without_presence(kind: str) -> None:
    """Switch presence off for every room of `kind` (called from the feature's init_app)."""
    registry.current().add("quiet_room_kinds", kind, True)


def keeps_presence(room: Room) -> bool:
    """Does this room record and show presence? No for a room or room kind without it."""
    return room.presence and registry.current().get("quiet_room_kinds", room.kind) is None


def on_change(kind: str, handler: ChangeHandler) -> None:
    """Register how a format tells a room that presence changed without any client event
    (a dead process was swept). Called from the feature's init_app; one handler per kind."""
    registry.current().add("presence_handlers", kind, handler)


# --- the process heartbeat -----------------------------------------------------------------
def beat(now: datetime, *, process_id: str = PROCESS_ID) -> None:
    """Refresh this process's heartbeat row (created on first use or after being swept).

    A process that stalled for longer than SILENT_SECONDS was swept by another one, with its
    socket rows; when this process finds its row gone, it records its sockets again, so a kick
    (sign-out, removal) still reaches them. (Presence rows are not restored: a board
    counts as absent until it joins again.)"""
    refreshed = db.session.execute(
        update(LiveProcess)
        .where(LiveProcess.id == process_id)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if refreshed != 1:
        _insert_process(process_id, now)
        if process_id == PROCESS_ID:
            from peerlab.core.live import models as sockets  # core/live builds on this module

            sockets.restore(now)
    db.session.flush()


def _insert_process(process_id: str, now: datetime) -> None:
    # Two sockets of one process may register it at once: ON CONFLICT keeps it one row.
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(LiveProcess)
        .values(id=process_id, started_at=now, heartbeat_at=now)
        .on_conflict_do_update(index_elements=["id"], set_={"heartbeat_at": now})
    )


def heartbeat_once(app: Flask) -> None:
    """One heartbeat in its own short transaction (what the background task repeats)."""
    from peerlab.core.clock import utcnow

    with app.app_context():
        try:
            beat(utcnow())
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("presence heartbeat failed")
        finally:
            db.session.remove()


def start_heartbeat(app: Flask):
    """Start this web process's heartbeat (gevent greenlet or thread, as Socket.IO runs)."""
    from peerlab.extensions import socketio

    def loop() -> None:
        while True:
            heartbeat_once(app)
            socketio.sleep(HEARTBEAT_SECONDS)

    return socketio.start_background_task(loop)


# --- presence of sockets in rooms ----------------------------------------------------------
def join(
    room: Room,
    member_id: int,
    sid: str,
    *,
    now: datetime,
    namespace: str = "/",
    process_id: str = PROCESS_ID,
) -> bool:
    """Record this socket in the room; True when the row is new (False for a room without
    presence). The process row is refreshed too, so a row never points to a missing process."""
    if not keeps_presence(room):
        return False
    exists = db.session.scalar(
        select(PresenceRow.id).where(
            PresenceRow.kind == room.kind,
            PresenceRow.subject_id == room.subject_id,
            PresenceRow.sid == sid,
        )
    )
    if exists:
        return False
    beat(now, process_id=process_id)
    db.session.add(
        PresenceRow(
            kind=room.kind,
            subject_id=room.subject_id,
            member_id=member_id,
            sid=sid,
            namespace=namespace,
            process_id=process_id,
            connected_at=now,
        )
    )
    db.session.flush()
    return True


def leave(room: Room, sid: str) -> None:
    """This socket left the room (it may stay connected)."""
    db.session.execute(
        delete(PresenceRow).where(
            PresenceRow.kind == room.kind,
            PresenceRow.subject_id == room.subject_id,
            PresenceRow.sid == sid,
        )
    )
    db.session.flush()


def disconnect(kind: str, sid: str) -> list[int]:
    """The socket is gone: drop its rows in every room of `kind`; returns those subject ids."""
    subject_ids = rooms_of_sid(kind, sid)
    if subject_ids:
        db.session.execute(
            delete(PresenceRow).where(PresenceRow.kind == kind, PresenceRow.sid == sid)
        )
        db.session.flush()
    return subject_ids


def rooms_of_sid(kind: str, sid: str) -> list[int]:
    return sorted(
        db.session.scalars(
            select(PresenceRow.subject_id)
            .where(PresenceRow.kind == kind, PresenceRow.sid == sid)
            .distinct()
        ).all()
    )


def drop_member(room: Room, member_id: int) -> None:
    """A member was removed from the room: none of their sockets counts any more."""
    db.session.execute(
        delete(PresenceRow).where(
            PresenceRow.kind == room.kind,
            PresenceRow.subject_id == room.subject_id,
            PresenceRow.member_id == member_id,
        )
    )
    db.session.flush()


def forget_subject(kind: str, subject_id: int) -> None:
    """The subject is deleted: its presence rows go with it."""
    db.session.execute(
        delete(PresenceRow).where(PresenceRow.kind == kind, PresenceRow.subject_id == subject_id)
    )
    db.session.flush()


def present_members(room: Room) -> set[int]:
    """Member ids with at least one connected socket (one query; empty without presence)."""
    if not keeps_presence(room):
        return set()
    return set(
        db.session.scalars(
            select(PresenceRow.member_id)
            .where(PresenceRow.kind == room.kind, PresenceRow.subject_id == room.subject_id)
            .distinct()
        ).all()
    )


def is_present_clause(kind: str, subject_id, member_id):
    """An EXISTS clause for a format's own member query, so that presence comes along in the
    same statement as the members (one query for a whole room, whatever its size)."""
    return (
        select(PresenceRow.id)
        .where(
            PresenceRow.kind == kind,
            PresenceRow.subject_id == subject_id,
            PresenceRow.member_id == member_id,
        )
        .exists()
    )


# --- sweeping dead processes ---------------------------------------------------------------
def sweep(now: datetime, *, silent_seconds: int = SILENT_SECONDS) -> list[tuple[str, int]]:
    """Drop every process silent for `silent_seconds`, its presence rows and (by the foreign
    key's ON DELETE CASCADE) its socket rows in `live_sockets` (flush only).
    The process running the sweep is alive by definition and never swept. Returns the
    affected rooms as (kind, subject id)."""
    limit = now - timedelta(seconds=silent_seconds)
    dead = select(LiveProcess.id).where(
        LiveProcess.heartbeat_at < limit, LiveProcess.id != PROCESS_ID
    )
    dead_ids = list(db.session.scalars(dead).all())
    if not dead_ids:
        return []
    rooms = db.session.execute(
        select(PresenceRow.kind, PresenceRow.subject_id)
        .where(PresenceRow.process_id.in_(dead_ids))
        .distinct()
    ).all()
    db.session.execute(delete(PresenceRow).where(PresenceRow.process_id.in_(dead_ids)))
    db.session.execute(delete(LiveProcess).where(LiveProcess.id.in_(dead_ids)))
    db.session.flush()
    return sorted((kind, subject_id) for kind, subject_id in rooms)


def sweep_dead_processes(now: datetime) -> int:
    """Due job: sweep, commit, then tell each affected room (each in isolation)."""
    rooms = sweep(now)
    db.session.commit()
    tell_rooms(rooms, now)
    return len(rooms)


def tell_rooms(rooms: Iterable[tuple[str, int]], now: datetime) -> None:
    for kind, subject_id in rooms:
        handler = registry.current().get("presence_handlers", kind)
        if handler is None:
            continue
        try:
            handler(subject_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("telling %s %s about presence failed", kind, subject_id)


def init_app(app: Flask) -> None:
    """Core's own due job (the web processes' heartbeat is started by `peerlab run`)."""
    from peerlab.core import due, subjects

    due.register("core.presence_sweep", sweep_dead_processes)
    subjects.register_reference("core.presence", PresenceRow, "kind", "subject_id")
