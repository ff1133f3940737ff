"""Random secrets and their stored form (SHA-256; the secret itself is never stored).

One-time links (sign-in, password reset, invitation, e-mail change) are `OneTimeToken` rows.
Using one is a conditional UPDATE on `used_at`, so two clicks, two tabs or a mail scanner and
a person can never both use the same link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from peerlab.core.errors import DomainError
from peerlab.extensions import db

SIGNIN = "signin"
RESET = "reset"
INVITE = "invite"
EMAIL_CHANGE = "email_change"

LIFETIMES = {
    SIGNIN: timedelta(minutes=15),
    RESET: timedelta(hours=1),
    INVITE: timedelta(days=14),
    EMAIL_CHANGE: timedelta(hours=24),
}


class LinkInvalid(DomainError):
    code = "link_invalid"
    status = 400
    default_message = _l(
        "Dieser Link ist abgelaufen oder wurde schon benutzt. Bitte fordern Sie einen neuen an."
    )


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(
    user,
    purpose: str,
    *,
    now: datetime,
    new_email: str | None = None,
    lifetime: timedelta | None = None,
) -> str:
    """Create a one-time link for `user`; returns the secret (to put into the mail only)."""
    from peerlab.accounts.models import OneTimeToken

    secret = new_secret()
    db.session.add(
        OneTimeToken(
            purpose=purpose,
            token_hash=digest(secret),
            user_id=user.id,
            new_email=new_email,
            created_at=now,
            expires_at=now + (lifetime or LIFETIMES[purpose]),
        )
    )
    db.session.flush()
    return secret


def _plausible(secret: object) -> bool:
    return isinstance(secret, str) and 20 <= len(secret) <= 100


def peek(secret: str, purpose: str, *, now: datetime):
    """The valid (unused, unexpired) token for `secret`, without using it; else None."""
    from peerlab.accounts.models import OneTimeToken

    if not _plausible(secret):
        return None
    return db.session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == digest(secret),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > now,
        )
    )


def consume(secret: str, purpose: str, *, now: datetime):
    """Use the token once (conditional UPDATE); raise LinkInvalid if used, expired or unknown."""
    from peerlab.accounts.models import OneTimeToken

    if not _plausible(secret):
        raise LinkInvalid()
    token_hash = digest(secret)
    claimed = db.session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.token_hash == token_hash,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkInvalid()
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == token_hash))
    db.session.refresh(token)
    return token


def retire(user_id: int, purpose: str, *, now: datetime) -> None:
    """Mark every open link of one kind as used (e.g. older reset links after a reset)."""
    from peerlab.accounts.models import OneTimeToken

    db.session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
