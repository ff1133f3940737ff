"""Short-impulse series: a series, its dates (impulses) and the registrations for each date.

Capacity is held by the database: `impulses.confirmed_count` is changed only by conditional
UPDATEs under the impulse's row lock (core.locking) and a CHECK keeps it within `capacity`;
arrival order is a per-impulse counter with a unique (impulse, position) pair.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

AUDIENCES = ("public", "network")
STATUSES = ("confirmed", "waiting", "cancelled")


class Series(db.Model):
    __tablename__ = "impulse_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(10), default="network")
    default_minutes: Mapped[int] = mapped_column(Integer, default=30)
    video_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    deadline_hours: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    created_by = relationship("User")
    impulses = relationship(
        "Impulse", back_populates="series", order_by="Impulse.starts_at", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("audience IN ('public', 'network')", name="ck_impulse_series_audience"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="ck_impulse_series_capacity"),
    )


class Impulse(db.Model):
    __tablename__ = "impulses"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("impulse_series.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    speaker_name: Mapped[str] = mapped_column(String(120), default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    capacity: Mapped[int | None] = mapped_column(Integer)  # the series' capacity, per date
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    next_position: Mapped[int] = mapped_column(Integer, default=1)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)  # the row lock (core.locking)

    series = relationship("Series", back_populates="impulses")

    __table_args__ = (
        CheckConstraint(
            "confirmed_count >= 0 AND (capacity IS NULL OR confirmed_count <= capacity)",
            name="ck_impulses_within_capacity",
        ),
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class Registration(db.Model):
    __tablename__ = "impulse_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    impulse_id: Mapped[int] = mapped_column(ForeignKey("impulses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)  # order of arrival within the impulse
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    # reminders by mail before the date, each switchable by the person
    remind_24h: Mapped[bool] = mapped_column(Boolean, default=True)
    remind_1h: Mapped[bool] = mapped_column(Boolean, default=True)

    impulse = relationship("Impulse")
    user = relationship("User")

    __table_args__ = (
        UniqueConstraint("impulse_id", "user_id", name="uq_impulse_registration_person"),
        UniqueConstraint("impulse_id", "position", name="uq_impulse_registration_position"),
        CheckConstraint(
            "status IN ('confirmed', 'waiting', 'cancelled')", name="ck_impulse_registration_status"
        ),
    )
