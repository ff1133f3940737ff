"""Account models. Secrets (session tokens, one-time links, guest passes) are stored hashed."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

ROLES = ("admin", "organizer", "member")


def display_name_of(name: str | None, email: str) -> str:
    """A user's shown name from the two columns (for reads that select columns, not a User)."""
    return name or email.split("@", 1)[0]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), default="")
    municipality: Mapped[str] = mapped_column(String(120), default="")
    function: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(5), default="de")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Berlin")
    role: Mapped[str] = mapped_column(String(12), default="member")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="active")  # invited|active
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # Flask-Login stores what get_id() returns in the cookie session. peerlab stores the token of
    # a server-side AuthSession instead of the user id (set by accounts.sessions.open_session), so
    # revoking the session row signs out every copy of the cookie.
    _session_token = None  # plain class attribute, not a column

    def get_id(self) -> str | None:
        return self._session_token

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def display_name(self) -> str:
        return display_name_of(self.name, self.email)

    @property
    def needs_second_factor(self) -> bool:
        return self.role in ("admin", "organizer")

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class AuthSession(db.Model):
    """A server-side sign-in session; revoking it ends every cookie copy and socket."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class OneTimeToken(db.Model):
    """Sign-in links, password resets, invitations and e-mail changes; usable once."""

    __tablename__ = "one_time_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class GuestPass(db.Model):
    """A guest without an account, admitted to exactly one thing (e.g. one Lean Coffee round)."""

    __tablename__ = "guest_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    scope_kind: Mapped[str] = mapped_column(String(40))
    scope_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_email: Mapped[str] = mapped_column(String(254), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class RateEvent(db.Model):
    """One attempt counted against a rate limit; shared by every process through the database."""

    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
