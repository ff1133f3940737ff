"""Payload validation of socket events: one JSON object per event, typed fields, size limit.

`null` is not a value of any field: an optional field is left out, never sent as null (a third
party client could not know whether null means "empty", "default" or "unchanged").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from peerlab.core.errors import InvalidInput

# One event's JSON payload at most this many bytes (UTF-8); docs/realtime.md §2. Far above any
# legitimate payload (the longest, `topic:add`, stays under 2 KB), far below the transport's
# buffer (TRANSPORT_BUFFER_BYTES), so an oversized message is answered, not cut off.
MAX_EVENT_BYTES = 16 * 1024
TRANSPORT_BUFFER_BYTES = 1024 * 1024


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


def check_size(payload: Any) -> None:
    """Refuse a payload whose JSON form is over MAX_EVENT_BYTES (`too_long`)."""
    try:
        size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError) as err:  # binary attachments and the like: not ours
        raise InvalidInput(
            _("Die Nachricht hat ein ungültiges Format."), code="bad_payload"
        ) from err
    if size > MAX_EVENT_BYTES:
        raise InvalidInput(
            _("Die Nachricht ist zu groß (höchstens %(max)d Bytes).", max=MAX_EVENT_BYTES),
            code="too_long",
        )


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
        if name not in payload:
            if spec.required:
                raise InvalidInput(_("Pflichtfeld fehlt: %(name)s", name=name), code="bad_payload")
            clean[name] = spec.default
            continue
        clean[name] = _check(name, spec, payload[name])
    return clean


def _check(name: str, spec: Field, value: Any) -> Any:
    if value is None:
        raise InvalidInput(
            _("%(name)s darf nicht null sein; lassen Sie das Feld weg.", name=name),
            code="bad_payload",
        )
    if spec.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(_("%(name)s muss eine ganze Zahl sein.", name=name), code="bad_payload")
    if spec.kind is bool and not isinstance(value, bool):
        raise InvalidInput(_("%(name)s muss wahr oder falsch sein.", name=name), code="bad_payload")
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
            _("%(name)s liegt außerhalb des erlaubten Bereichs.", name=name), code="out_of_range"
        )
    return value
