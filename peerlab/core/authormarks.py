"""Author marks: telling the author of an anonymous item "this one is yours", in two modes.

*Recognisable* (`recognisable`, `matches`): an HMAC of a random per-item nonce and the author's
id under the app's SECRET_KEY is stored with the item. Nobody can read the author from the row
alone, and the server can recognise the author whenever they come back. But whoever holds both
the database and the secret key (the operator) can re-link every item by trying each author id.
Lean Coffee outside groups uses this mode, and the note on the board says so.

*Unlinkable* (`issue_unlinkable`, `is_unlinkable_author`): a random token is handed to the
author's browser once; only its SHA-256 is stored, with the end of the edit window. After the
window the row is deleted (`purge_expired`, a due job) and nobody, operator included, can link
the item to anyone any more. Groups, group rounds and peer coaching will use this mode.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import Integer, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

PURGE_JOB = "core.author_marks_purge"
MAX_TOKEN_LENGTH = 100


# --- recognisable ---------------------------------------------------------------------------


def new_nonce() -> str:
    """The random per-item part of a recognisable mark (stored with the item)."""
    return secrets.token_hex(16)


def recognisable(purpose: str, nonce: str, author_id: int) -> str:
    """HMAC-SHA256(SECRET_KEY, "<purpose>:<nonce>:<author id>") as hex."""
    return _mark(current_app.config["SECRET_KEY"], purpose, nonce, author_id)


@lru_cache(maxsize=65536)
def _mark(secret: str, purpose: str, nonce: str, author_id: int) -> str:
    """Marks never change (nonce and author are fixed per item): a live board asks the same
    ones again on every change ("which topics are mine?"), so they are computed once."""
    key = secret.encode()
    return hmac.new(key, f"{purpose}:{nonce}:{author_id}".encode(), hashlib.sha256).hexdigest()


def matches(purpose: str, nonce: str | None, mark: str | None, author_id: int) -> bool:
    """Is `author_id` the author of the item carrying (`nonce`, `mark`)? False once erased."""
    if not nonce or not mark:
        return False
    return hmac.compare_digest(mark, recognisable(purpose, nonce, author_id))


# --- unlinkable -----------------------------------------------------------------------------


class UnlinkableMark(db.Model):
    """The hash of the token an author's browser holds for one item, until `expires_at`."""

    __tablename__ = "author_marks"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_unlinkable(
    subject_kind: str, subject_id: int, *, now: datetime, window: timedelta
) -> str:
    """A fresh token for the author's browser (returned once, never stored in clear)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UnlinkableMark(
            subject_kind=subject_kind,
            subject_id=subject_id,
            token_hash=_hash(token),
            expires_at=now + window,
        )
    )
    db.session.flush()
    return token


def is_unlinkable_author(
    subject_kind: str, subject_id: int, token: str | None, *, now: datetime
) -> bool:
    """Does `token` prove authorship of the item, within its edit window?"""
    if not token or not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return False
    row = db.session.scalar(
        select(UnlinkableMark).where(
            UnlinkableMark.subject_kind == subject_kind, UnlinkableMark.subject_id == subject_id
        )
    )
    if row is None or row.expires_at <= now:
        return False
    return hmac.compare_digest(row.token_hash, _hash(token))


def forget(subject_kind: str, subject_id: int) -> None:
    """Drop an item's mark at once (the item was deleted, or its author gave up editing)."""
    db.session.execute(
        delete(UnlinkableMark).where(
            UnlinkableMark.subject_kind == subject_kind, UnlinkableMark.subject_id == subject_id
        )
    )


def purge_expired(now: datetime) -> int:
    """Delete every mark whose edit window ended (the due job); returns how many."""
    gone = db.session.execute(
        delete(UnlinkableMark).where(UnlinkableMark.expires_at <= now)
    ).rowcount
    db.session.commit()
    return gone or 0


def init_app(app) -> None:
    """Register the purge as a due job (called from create_app, not at import)."""
    from peerlab.core import due, subjects

    due.register(PURGE_JOB, purge_expired)
    subjects.register_reference("core.author_marks", UnlinkableMark, "subject_kind", "subject_id")
