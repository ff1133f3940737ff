"""Calendar tables: stored SEQUENCE per UID, cancelled occurrences, invitations, feed keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.accounts.models import User
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")


class CalendarSequence(db.Model):
    """The SEQUENCE of one UID: raised on every change of time, recurrence or status."""

    __tablename__ = "calendar_sequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("kind", "subject_id"),)


class CancelledOccurrence(db.Model):
    """One dropped occurrence of a series; every later feed and message carries it as EXDATE."""

    __tablename__ = "calendar_cancelled_occurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), index=True)
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("uid", "occurrence"),)


class Invitation(db.Model):
    """One person invited to one date (UID); the answer is given in peerlab, not by iTIP."""

    __tablename__ = "calendar_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    partstat: Mapped[str] = mapped_column(String(16), default="NEEDS-ACTION")
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rsvp_salt: Mapped[str] = mapped_column(String(32))
    rsvp_token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organizer: Mapped[User | None] = relationship(foreign_keys=[organizer_id])

    __table_args__ = (UniqueConstraint("uid", "user_id"),)


class FeedKey(db.Model):
    """The random part of a user's feed token; the token itself is derived, only its hash stored.

    token = HMAC-SHA256(SECRET_KEY, "feed:<user id>:<nonce>"); User.feed_token_hash holds its
    SHA-256. The Kalender page can show the link again (it re-derives it); a database copy alone
    cannot (it lacks the SECRET_KEY). Regenerating replaces the nonce and the hash.
    """

    __tablename__ = "calendar_feed_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SeriesFeedKey(db.Model):
    """One person's token for one series feed, separate from their personal feed token.

    A series link is shared more freely (with a calendar of a team, a colleague) than the
    personal feed, so it must open that one series only, and be revocable on its own.
    token = HMAC-SHA256(SECRET_KEY, "series-feed:<user>:<kind>:<series>:<nonce>"); only its
    SHA-256 is stored, so a database copy alone cannot open the feed.
    """

    __tablename__ = "calendar_series_feed_keys"
    __table_args__ = (UniqueConstraint("user_id", "series_kind", "series_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    series_kind: Mapped[str] = mapped_column(String(40))
    series_id: Mapped[int] = mapped_column(Integer)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
