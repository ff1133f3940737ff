"""Ending a person's live sockets: sign-out ends a session's sockets, removal a guest's.

Sockets of one person may live in several processes. Each socket is recorded per identity room
in `live_sockets` on connect (its row hangs off the process's heartbeat row, so the presence
sweep drops the rows of a dead process); a kick reads the sids there and calls python-socketio's
`server.disconnect(sid, namespace)`, which the message-queue manager carries to the process
holding the sid (without a queue, only local sids exist and it disconnects them directly).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import delete, select

from peerlab.core.live.models import LiveSocket
from peerlab.core.live.outbox import own_session, queue_call
from peerlab.core.live.rooms import namespaces
from peerlab.extensions import db, socketio

log = logging.getLogger(__name__)


def emit_everywhere(event_name: str, data: dict, *, to: str) -> None:
    """Send `data` to room `to` in every live namespace (e.g. `session:ended`)."""
    for namespace in namespaces():
        socketio.emit(event_name, data, to=to, namespace=namespace)


def disconnect_room(room: str, *, namespace: str | None = None) -> None:
    """Disconnect every socket recorded in `room`, on whichever process holds it; with
    `namespace`, only that format's sockets (removal from one space must not end the person's
    sockets of other formats)."""
    query = select(LiveSocket.sid, LiveSocket.namespace).where(LiveSocket.room == room)
    if namespace is not None:
        query = query.where(LiveSocket.namespace == namespace)
    with own_session():  # a session of its own when called from an after-commit hook
        sockets = db.session.execute(query).all()
        db.session.rollback()
    for sid, held_in in sockets:
        try:
            socketio.server.disconnect(sid, namespace=held_in)
        except Exception:
            log.exception("could not disconnect a socket")
    if sockets:
        # The holder forgets its socket on disconnect; a crashed holder never will and the
        # sweep may not have run yet, so the kicked rows go now (deleting twice is harmless).
        with own_session():
            sids = sorted({sid for sid, _ns in sockets})
            db.session.execute(delete(LiveSocket).where(LiveSocket.sid.in_(sids)))
            db.session.commit()


def queue_disconnect_room(room: str, *, namespace: str | None = None) -> None:
    """Disconnect the sockets in `room` (of `namespace` only, if given) once the current
    transaction has committed."""
    label = f"disconnect {room}" + (f" on {namespace}" if namespace else "")
    queue_call(label, lambda: disconnect_room(room, namespace=namespace))


def queue_disconnect_sids(sids: Iterable[str], *, namespace: str, label: str) -> None:
    """Disconnect exactly these sockets of `namespace` once the current transaction has
    committed (e.g. the sids a space's presence rows hold for one person: their sockets in
    that space end, their other boards stay). The message queue carries each to its process."""
    wanted = sorted(set(sids))
    if not wanted:
        return

    def end() -> None:
        for sid in wanted:
            try:
                socketio.server.disconnect(sid, namespace=namespace)
            except Exception:
                log.exception("could not disconnect a socket")

    queue_call(label, end)
