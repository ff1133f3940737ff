"""Live rooms: each format declares its events on its own Socket.IO namespace.

A feature builds a `LiveRoom("/lean-coffee")` in its init_app, declares handlers with
`@room.event(name, fields)` and calls `register(app, room)`. The per-app registry keys handlers
by (namespace, event name) and refuses a second claim of one key, so two features can never
silently replace each other's handler (python-socketio keeps the last one for a name).

Every packet of a namespace goes through `LiveNamespace.trigger_event`, which:
- refuses the connection (`connect_error` "unauthenticated") without a signed-in user or guest;
- answers `unknown_event` to every name nobody registered, including the reserved `connect`
  and `disconnect` when a client emits them as events (Flask-SocketIO#1433: a client-emitted
  `disconnect` used to run the server's disconnect handler);
- checks size and fields, runs the handler, commits, and only then sends what it queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace, disconnect, join_room

from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, InvalidInput, Unauthenticated
from peerlab.core.live import actions
from peerlab.core.live import models as sockets
from peerlab.core.live.outbox import own_session
from peerlab.core.live.validation import Field, check_size, validate
from peerlab.extensions import db, socketio

log = logging.getLogger(__name__)
EXTENSION = "peerlab.live"
# Names a Socket.IO client library uses for its own purposes: never an application event.
RESERVED = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}
)


class LiveActor(Protocol):
    """Who is connected, as the accounts feature resolves it (user or guest)."""

    kind: str
    id: int

    @property
    def room(self) -> str: ...


class DuplicateEvent(RuntimeError):
    """Two handlers claim one event name in one namespace (raised while the app is built)."""


Handler = Callable[[Any, dict, datetime], dict | None]
DisconnectHook = Callable[[str, datetime], None]


@dataclass
class Event:
    name: str
    fields: dict[str, Field]
    fn: Handler
    once: bool = True  # a change: a named action (`request_id`) is applied once

    @property
    def origin(self) -> str:
        return f"{self.fn.__module__}.{self.fn.__qualname__}"


# Events that tell who is there, who types or who read what: a room without presence refuses
# to declare any of them (confidential groups: no presence, typing or read events at all).
PRESENCE_EVENT_PREFIXES = ("presence", "typing", "read", "seen", "online", "here")


@dataclass
class LiveRoom:
    """What one feature declares for its namespace. `presence=False`: the namespace carries no
    presence, typing or read events (declaring one is an error when the app is built)."""

    namespace: str
    events: dict[str, Event] = field(default_factory=dict)
    disconnect_hooks: list[DisconnectHook] = field(default_factory=list)
    presence: bool = True

    def event(self, name: str, fields: dict[str, Field] | None = None, *, once: bool = True):
        """Declare an authenticated event; the handler gets (actor, data, now). `once=False`
        for events that change nothing a retry could double (join, sync, leave): their
        `request_id` is ignored."""

        def decorate(fn: Handler) -> Handler:
            if name in RESERVED:
                raise DuplicateEvent(f"{name!r} is reserved by Socket.IO ({self.namespace})")
            if not self.presence and name.lower().startswith(PRESENCE_EVENT_PREFIXES):
                raise ValueError(
                    f"{name!r}: namespace {self.namespace} keeps no presence, typing or read events"
                )
            # A room without presence carries confidential content (groups): it keeps no
            # record of who sent which action, so retried actions are not recognised there.
            new = Event(name, fields or {}, fn, once and self.presence)
            if name in self.events:
                raise DuplicateEvent(_claims(self.namespace, self.events[name], new))
            self.events[name] = new
            return fn

        return decorate

    def on_disconnect(self, fn: DisconnectHook) -> DisconnectHook:
        """Run `fn(sid, now)` when a socket of this namespace really disconnects."""
        self.disconnect_hooks.append(fn)
        return fn


def _claims(namespace: str, first: Event, second: Event) -> str:
    return (
        f"socket event {first.name!r} in namespace {namespace!r} is claimed twice: "
        f"{first.origin} and {second.origin}"
    )


@dataclass
class Registry:
    """Per app: who is connected (set by accounts) and the handlers of every namespace."""

    resolve_actor: Callable[[], LiveActor | None] = lambda: None
    rooms_of: Callable[[LiveActor], list[str]] = lambda actor: [actor.room]
    namespaces: dict[str, LiveRoom] = field(default_factory=dict)

    def add(self, room: LiveRoom) -> bool:
        """Merge `room` into its namespace; True when the namespace is new."""
        known = self.namespaces.get(room.namespace)
        if known is None:
            self.namespaces[room.namespace] = LiveRoom(
                room.namespace, dict(room.events), list(room.disconnect_hooks), room.presence
            )
            return True
        if known.presence != room.presence:
            raise DuplicateEvent(f"namespace {room.namespace!r}: presence declared both ways")
        for name, ev in room.events.items():
            if name in known.events:
                raise DuplicateEvent(_claims(room.namespace, known.events[name], ev))
        known.events.update(room.events)
        known.disconnect_hooks.extend(room.disconnect_hooks)
        return False


def registry(app=None) -> Registry:
    return (app or current_app).extensions[EXTENSION]


def set_identity(
    app, resolve_actor: Callable[[], LiveActor | None], rooms_of: Callable[[LiveActor], list[str]]
) -> None:
    """The accounts feature says who a socket belongs to and which private rooms it enters."""
    reg = registry(app)
    reg.resolve_actor = resolve_actor
    reg.rooms_of = rooms_of


def register(app, room: LiveRoom) -> None:
    """Serve `room`'s events on its namespace (raises DuplicateEvent on a second claim)."""
    if registry(app).add(room):
        socketio.on_namespace(LiveNamespace(room.namespace))


def namespaces(app=None) -> list[str]:
    return sorted(registry(app).namespaces)


def error_ack(err: DomainError) -> dict:
    return {"ok": False, "error": err.code, "message": err.message}


def internal_ack(*, nothing_changed: bool = True) -> dict:
    """The answer to an event that failed unexpectedly. It must not need the database: the
    translation asks for the person's language, which comes from their account, and the
    failure may be that the database is gone; then the German text is sent."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback after a failed event failed too", exc_info=True)
    german = "Ein interner Fehler ist aufgetreten."
    try:
        if nothing_changed:
            german += " Nichts wurde geändert."
            text = _("Ein interner Fehler ist aufgetreten. Nichts wurde geändert.")
        else:
            text = _("Ein interner Fehler ist aufgetreten.")
    except Exception:
        text = german
    return {"ok": False, "error": "internal", "message": text}


def unknown_event_ack() -> dict:
    return error_ack(InvalidInput(_("Unbekanntes Ereignis."), code="unknown_event"))


class LiveNamespace(Namespace):
    """Dispatches every packet of one namespace through the registry (no `on_*` methods)."""

    def trigger_event(self, event: str, *args: Any) -> Any:
        sid = args[0] if args else None
        # A real connect or disconnect runs while python-socketio holds the sid as pending;
        # an event packet only reaches us from a fully connected sid.
        emitted_by_client = self.server.manager.is_connected(sid, self.namespace)
        if event == "connect" and not emitted_by_client:
            return self.socketio._handle_event(self._connect, event, self.namespace, *args)
        if event == "disconnect" and not emitted_by_client:
            return self.socketio._handle_event(self._disconnect, event, self.namespace, *args)
        return self.socketio._handle_event(
            self._dispatch(event), f"event:{event}", self.namespace, *args
        )

    def _connect(self, auth: Any = None) -> bool:
        reg = registry()
        actor = reg.resolve_actor()
        if actor is None:
            db.session.rollback()
            raise ConnectionRefusedError(
                "unauthenticated", {"code": "unauthenticated", "message": Unauthenticated().message}
            )
        rooms = reg.rooms_of(actor)
        for room in rooms:
            join_room(room)
        sockets.record(request.sid, self.namespace, rooms, utcnow())
        db.session.commit()
        return True

    def _disconnect(self, *_reason: Any) -> None:
        sid, now = request.sid, utcnow()
        # A kick may run this from inside another session's after-commit (no SQL there).
        with own_session():
            try:
                sockets.forget(sid, self.namespace)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("could not forget socket %s", sid)
            for hook in registry().namespaces[self.namespace].disconnect_hooks:
                try:
                    hook(sid, now)
                    db.session.commit()
                except Exception:
                    db.session.rollback()
                    log.exception("disconnect hook of %s failed", self.namespace)

    def _dispatch(self, event: str) -> Callable[..., Any]:
        def handle(payload: Any = None, *extra: Any) -> dict:
            spec = registry().namespaces[self.namespace].events.get(event)
            if spec is None or event in RESERVED:
                return unknown_event_ack()
            return run(spec, payload, extra, self.namespace)

        return handle


def run(spec: Event, payload: Any, extra: tuple, namespace: str = "") -> dict:
    """Authenticate, check, call the handler, commit; domain errors become acks. A named
    action (`request_id`) that was applied before is answered, not run again (actions.py)."""
    try:
        actor = registry().resolve_actor()
    except Exception:  # the account could not be loaded (e.g. the database is gone)
        log.exception("socket event %s: no actor", spec.name)
        return internal_ack()
    if actor is None:
        db.session.rollback()
        disconnect()
        return error_ack(Unauthenticated())
    try:
        if extra:
            raise InvalidInput(_("Zu viele Argumente."), code="bad_payload")
        check_size(payload)
        payload, request_id = actions.take_id(payload)
        data = validate(spec.fields, payload)
        now = utcnow()
        claimed = None
        if request_id is not None and spec.once:
            claimed = actions.claim(namespace, actor.room, request_id, spec.name, now)
            if claimed is None:
                db.session.rollback()
                first = actions.first_answer(namespace, actor.room, request_id) or {}
                db.session.commit()
                return {"ok": True, "repeated": True, **first}
        result = spec.fn(actor, data, now)
        if claimed is not None:
            actions.keep_answer(claimed, result)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        return error_ack(err)
    except Exception:
        log.exception("socket event %s failed", spec.name)
        return internal_ack()
    return {"ok": True, **(result or {})}
