"""The realtime layer shared by every live format.

- Connections are authenticated (signed-in user or guest pass); anything else is refused.
- Every socket joins its private room (`user:<id>` / `guest:<id>`) and its sign-in session's room.
- Handlers are declared with `@socket_event(name, fields)`: payloads are validated, domain errors
  become acknowledgements `{"ok": false, "error": code, "message": text}`, the change is committed
  and only then broadcast (`queue_emit` collects, SQLAlchemy's after_commit sends).
- Feature rooms (`round:42`) are joined by the feature's own join event after its access check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_socketio import disconnect, join_room
from sqlalchemy import event
from sqlalchemy.orm import Session

from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, InvalidInput, Unauthenticated
from peerlab.extensions import db, socketio

log = logging.getLogger(__name__)
_EMITS = "peerlab.emits"
_registered_events: set[str] = set()


# --- broadcasts after commit ---------------------------------------------------------------
def queue_emit(event_name: str, data: dict, *, to: str) -> None:
    """Send `data` to room `to` once the current transaction has committed."""
    db.session.info.setdefault(_EMITS, []).append((event_name, data, to))


@event.listens_for(Session, "after_commit")
def _send_after_commit(sess: Session) -> None:
    pending = sess.info.pop(_EMITS, [])
    for event_name, data, room in pending:
        try:
            socketio.emit(event_name, data, to=room)
        except Exception:  # a broken broadcast must not undo a committed change
            log.exception("broadcast %s to %s failed", event_name, room)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(sess: Session, previous_transaction) -> None:
    sess.info.pop(_EMITS, None)


# --- payload validation --------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True
    max_length: int = 0
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    choices: tuple = ()


def Int(
    *,
    required: bool = True,
    minimum: int | None = 1,
    maximum: int | None = 2**31 - 1,
    default: int | None = None,
) -> Field:
    return Field(int, required, minimum=minimum, maximum=maximum, default=default)


def Str(
    max_length: int, *, required: bool = True, default: str | None = None, choices: tuple = ()
) -> Field:
    return Field(str, required, max_length=max_length, default=default, choices=choices)


def Bool(*, required: bool = False, default: bool = False) -> Field:
    return Field(bool, required, default=default)


def validate(fields: dict[str, Field], payload: Any) -> dict[str, Any]:
    """Check a socket payload against `fields`; raise InvalidInput with a readable reason."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise InvalidInput(_("Die Nachricht hat ein ungültiges Format."), code="bad_payload")
    unknown = set(payload) - set(fields)
    if unknown:
        raise InvalidInput(
            _("Unbekanntes Feld: %(name)s", name=sorted(unknown)[0][:40]), code="bad_payload"
        )
    clean: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in payload or payload[name] is None:
            if spec.required:
                raise InvalidInput(_("Pflichtfeld fehlt: %(name)s", name=name), code="bad_payload")
            clean[name] = spec.default
            continue
        value = payload[name]
        if spec.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidInput(
                _("%(name)s muss eine ganze Zahl sein.", name=name), code="bad_payload"
            )
        if spec.kind is bool and not isinstance(value, bool):
            raise InvalidInput(
                _("%(name)s muss wahr oder falsch sein.", name=name), code="bad_payload"
            )
        if spec.kind is str:
            if not isinstance(value, str):
                raise InvalidInput(_("%(name)s muss Text sein.", name=name), code="bad_payload")
            value = value.strip()
            if spec.required and not value:
                raise InvalidInput(_("Pflichtfeld fehlt: %(name)s", name=name), code="bad_payload")
            if len(value) > spec.max_length:
                raise InvalidInput(
                    _(
                        "%(name)s ist zu lang (höchstens %(max)d Zeichen).",
                        name=name,
                        max=spec.max_length,
                    ),
                    code="too_long",
                )
            if spec.choices and value not in spec.choices:
                raise InvalidInput(
                    _("%(name)s hat einen ungültigen Wert.", name=name), code="bad_payload"
                )
        if spec.kind is int and (
            (spec.minimum is not None and value < spec.minimum)
            or (spec.maximum is not None and value > spec.maximum)
        ):
            raise InvalidInput(
                _("%(name)s liegt außerhalb des erlaubten Bereichs.", name=name),
                code="out_of_range",
            )
        clean[name] = value
    return clean


# --- handlers ------------------------------------------------------------------------------
def error_ack(err: DomainError) -> dict:
    return {"ok": False, "error": err.code, "message": err.message}


def socket_event(name: str, fields: dict[str, Field] | None = None):
    """Declare an authenticated socket event. The handler gets (actor, data, now)."""
    from peerlab.accounts.actors import current_actor

    fields = fields or {}

    def decorate(fn: Callable[..., dict | None]):
        def handler(payload: Any = None, *extra: Any) -> dict:
            actor = current_actor()
            if actor is None:
                disconnect()
                return error_ack(Unauthenticated())
            if extra:
                return error_ack(InvalidInput(_("Zu viele Argumente."), code="bad_payload"))
            try:
                data = validate(fields, payload)
                result = fn(actor, data, utcnow())
                db.session.commit()
            except DomainError as err:
                db.session.rollback()
                return error_ack(err)
            except Exception:
                db.session.rollback()
                log.exception("socket event %s failed", name)
                return {
                    "ok": False,
                    "error": "internal",
                    "message": _("Ein interner Fehler ist aufgetreten. Nichts wurde geändert."),
                }
            return {"ok": True, **(result or {})}

        handler.__name__ = f"on_{name.replace(':', '_')}"
        _registered_events.add(name)
        socketio.on_event(name, handler)
        return fn

    return decorate


def session_room(auth_session_id: int) -> str:
    return f"auth:{auth_session_id}"


def end_session_sockets(auth_session_id: int) -> None:
    """Disconnect every live socket of one sign-in session (sign-out, account deletion)."""
    room = session_room(auth_session_id)
    socketio.emit("session:ended", {}, to=room)
    manager = socketio.server.manager
    for sid, _eio in list(manager.get_participants("/", room)):
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:
            log.exception("could not disconnect a socket")


def init_app(app) -> None:
    from peerlab.accounts.actors import current_actor, current_auth_session

    @socketio.on("connect")
    def on_connect(auth=None):
        actor = current_actor()
        if actor is None:
            return False  # refuse: no signed-in user and no valid guest pass
        join_room(actor.room)
        if actor.kind == "user":
            auth_session = current_auth_session()
            if auth_session is not None:
                join_room(session_room(auth_session.id))
        return True

    @socketio.on("*")
    def on_unknown(event_name, *args):
        return error_ack(InvalidInput(_("Unbekanntes Ereignis."), code="unknown_event"))

    @socketio.on_error_default
    def on_error(exc):  # pragma: no cover - handlers catch their own errors
        event_name = (getattr(request, "event", None) or {}).get("message", "?")
        log.error("socket error on %s: %s", event_name, type(exc).__name__)
        return {
            "ok": False,
            "error": "internal",
            "message": _("Ein interner Fehler ist aufgetreten."),
        }
