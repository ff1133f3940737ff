"""The live layer shared by every live format (protocol: docs/realtime.md).

- `rooms`: one Socket.IO namespace per format, handlers registered per (namespace, event),
  authenticated connections, `unknown_event` for every other name (reserved ones included).
- `validation`: typed fields, `null` refused, a per-event size limit answered with `too_long`.
- `outbox`: broadcasts and kicks leave after commit; a rolled-back savepoint drops only its own.
- `kick`: disconnect a person's sockets on every process (sign-out, removal).
- `actions`: a client's named action (`request_id`) is applied once, also when retried.

Who a socket belongs to is not core's business: the accounts feature registers a resolver with
`set_identity` in its init_app.
"""

from __future__ import annotations

from flask import request

from peerlab.core.live.kick import (
    disconnect_room,
    emit_everywhere,
    queue_disconnect_room,
    queue_disconnect_sids,
)
from peerlab.core.live.outbox import queue_call, queue_emit
from peerlab.core.live.rooms import (
    EXTENSION,
    DuplicateEvent,
    LiveActor,
    LiveRoom,
    Registry,
    error_ack,
    internal_ack,
    namespaces,
    register,
    registry,
    set_identity,
)
from peerlab.core.live.validation import (
    MAX_EVENT_BYTES,
    TRANSPORT_BUFFER_BYTES,
    Bool,
    Field,
    Int,
    Str,
    validate,
)

__all__ = [
    "MAX_EVENT_BYTES",
    "TRANSPORT_BUFFER_BYTES",
    "Bool",
    "DuplicateEvent",
    "Field",
    "Int",
    "LiveActor",
    "LiveRoom",
    "Str",
    "disconnect_room",
    "emit_everywhere",
    "error_ack",
    "init_app",
    "namespaces",
    "queue_call",
    "queue_disconnect_room",
    "queue_disconnect_sids",
    "queue_emit",
    "register",
    "registry",
    "set_identity",
    "validate",
]


def init_app(app) -> None:
    """Before any feature: an empty registry and the after-commit listeners."""
    import logging

    from peerlab.core.live import outbox
    from peerlab.extensions import socketio

    log = logging.getLogger(__name__)
    app.extensions[EXTENSION] = Registry()
    outbox.install()

    @socketio.on_error_default
    def on_error(exc):  # handlers catch their own errors; this is for what escapes them
        event_name = (getattr(request, "event", None) or {}).get("message", "?")
        log.error("socket error on %s: %s", event_name, type(exc).__name__)
        return internal_ack(nothing_changed=False)


def init_jobs(app) -> None:
    """The live layer's due job (inside the app being built): forget old client action ids."""
    from peerlab.core import due
    from peerlab.core.live import actions

    due.register(actions.PURGE_JOB, actions.purge)
