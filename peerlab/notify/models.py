"""The mail outbox: written in the same transaction as the change that causes the mail.

`next_attempt_at` is also the "not before" time of a mail scheduled for later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db


class OutboxMail(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    to_addr: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(300))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_to: Mapped[str] = mapped_column(String(10), default="")  # smtp|mailbox
    # What makes this mail "once": enqueueing the same cause again finds this row instead of
    # adding a second one (e.g. "lean_coffee.summary:42:7"); NULL for mails without one.
    cause_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # The subject the mail is about (a round …), so deleting the subject drops its queued mails.
    about_kind: Mapped[str | None] = mapped_column(String(40))
    about_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (db.Index("ix_outbox_about", "about_kind", "about_id"),)


class DigestSetting(db.Model):
    """A person's daily digest "Neues in peerlab": on or off, the hour (in their time zone),
    and whether something new is waiting. No row: on, at 08:00, nothing waiting. What is new,
    where and how much is never stored here."""

    __tablename__ = "digest_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    hour: Mapped[int] = mapped_column(Integer, default=8)
    news_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The local day ("2026-03-03") of the last digest sent: at most one per day.
    last_day: Mapped[str] = mapped_column(String(10), default="")
