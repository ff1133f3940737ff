"""Second factor: time-based one-time passwords (RFC 6238) from an authenticator app.

A code is accepted for the current 30-second step and one step either side (clock drift);
each step works once per account: `User.totp_last_step` only ever grows, advanced by a
conditional UPDATE, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import or_, update

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db

ISSUER = "peerlab"
STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, label: str) -> Markup:
    """The provisioning URI as an inline SVG QR code (no script, no style attribute)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, svgclass="pl-qr", lineclass=None)
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(labelled)  # noqa: S704 - segno's own markup; the only text is escaped


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals `code` (current ± drift), or None."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed == 1:
        user.totp_last_step = step
    return claimed == 1


def verify(user: User, code: str, *, now: datetime) -> None:
    """Accept a code of the user's app once; raise InvalidInput otherwise."""
    if not user.totp_enabled or not user.totp_secret:
        raise InvalidInput(_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))
    step = matching_step(user.totp_secret, code, now)
    if step is None or not _claim_step(user, step):
        raise InvalidInput(
            _(
                "Der Code stimmt nicht oder wurde schon benutzt. Bitte nehmen Sie "
                "den aktuellen Code aus Ihrer App."
            ),
            code="bad_code",
        )


def enable(user: User, secret: str, code: str, *, now: datetime) -> None:
    """Switch the second factor on after the user proved their app shows the right codes."""
    if not isinstance(secret, str) or len(secret) < 16:
        raise InvalidInput(_("Die Einrichtung ist abgelaufen. Bitte beginnen Sie neu."))
    step = matching_step(secret, code, now)
    if step is None:
        raise InvalidInput(
            _(
                "Der Code stimmt nicht. Bitte prüfen Sie die Uhrzeit Ihres Geräts "
                "und nehmen Sie den aktuellen Code."
            ),
            code="bad_code",
        )
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = None
    db.session.flush()
    if not _claim_step(user, step):  # pragma: no cover - fresh secret, nothing to replay
        raise InvalidInput(_("Der Code wurde schon benutzt."), code="bad_code")


def disable(user: User, code: str, *, now: datetime) -> None:
    """Members may switch the second factor off again (with a current code)."""
    if user.needs_second_factor:
        raise Forbidden(_("Für Administration und Organisation ist der zweite Faktor Pflicht."))
    verify(user, code, now=now)
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    db.session.flush()
