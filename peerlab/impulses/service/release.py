"""The signed one-click "Platz freigeben" link of the reminder mails.

The token names one registration and the arrival position it had when the link was made, and
expires with the start of the date; it is signed with SECRET_KEY (itsdangerous), nothing is
stored. Opening it shows a confirmation page (mail scanners open links); the POST frees the
place exactly like "Ich kann diesmal nicht" (the head of the waiting list moves up in the same
transaction). Used once it says the place is already free: a released registration is
cancelled, and registering again gives a new position, which the old link does not name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.service import registrations

SALT = "impulses.release"
STATES = ("open", "released", "expired", "cancelled_date", "invalid")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(row: Registration) -> str:
    expires = int(row.impulse.starts_at.timestamp())
    return _serializer().dumps({"r": row.id, "p": row.position, "e": expires})


@dataclass(frozen=True)
class Release:
    state: str  # one of STATES
    row: Registration | None = None
    impulse: Impulse | None = None

    def message(self) -> str:
        return {
            "released": _("Dieser Platz ist schon freigegeben."),
            "expired": _(
                "Dieser Link gilt nicht mehr: der Termin hat schon begonnen. Melden Sie sich "
                "gegebenenfalls bei den Organisierenden."
            ),
            "cancelled_date": _("Dieser Termin ist abgesagt. Sie müssen nichts tun."),
            "invalid": _(
                "Dieser Link ist ungültig. Bitte öffnen Sie die Reihe in peerlab und geben Sie "
                "Ihren Platz dort frei."
            ),
        }.get(self.state, "")


def resolve(token: str, now: datetime) -> Release:
    if not token or len(token) > 300:
        return Release("invalid")
    try:
        data = _serializer().loads(token)
        row_id, position, expires = int(data["r"]), int(data["p"]), int(data["e"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return Release("invalid")
    row = db.session.get(Registration, row_id)
    if row is None:
        return Release("invalid")
    impulse = row.impulse
    if impulse.cancelled_at is not None:
        return Release("cancelled_date", row, impulse)
    if now >= datetime.fromtimestamp(expires, UTC) or now >= impulse.starts_at:
        return Release("expired", row, impulse)
    if row.position != position or row.status == "cancelled":
        return Release("released", row, impulse)
    return Release("open", row, impulse)


def release(token: str, now: datetime) -> Release:
    """Free the place named by the token (flush, no commit); InvalidInput with the reason
    when the link cannot do that (any more)."""
    found = resolve(token, now)
    if found.state != "open":
        raise InvalidInput(found.message())
    registrations.cancel(found.impulse, found.row.user, now=now)
    return Release("released", found.row, found.impulse)
