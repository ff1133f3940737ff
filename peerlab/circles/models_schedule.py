"""Circle tables added with scheduling (issue 9, second round): changed dates, "I can't this
week" marks, the reminder switch, closing reflections and renewals.

Dates are named by their *occurrence*: the start (UTC) the weekly rule gives them, which is
also their RECURRENCE-ID in calendars; it never changes when a date is moved.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

CHANGE_KINDS = ("append", "drop", "move")


class ScheduleChange(db.Model):
    """One changed date: skipped and appended at the end, skipped only, or moved."""

    __tablename__ = "circle_schedule_changes"
    __table_args__ = (
        UniqueConstraint("circle_id", "occurrence"),
        CheckConstraint("kind IN ('append', 'drop', 'move')", name="change_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(10))
    moved_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Absence(db.Model):
    """A member marked "Ich kann diese Woche nicht" for one date."""

    __tablename__ = "circle_absences"
    __table_args__ = (UniqueConstraint("membership_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderOptOut(db.Model):
    """A member switched the circle's reminder mails off."""

    __tablename__ = "circle_reminder_optouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reflection(db.Model):
    """A member's closing reflection after the last meeting, visible to the circle."""

    __tablename__ = "circle_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Renewal(db.Model):
    """The circle was renewed for another twelve meetings as `successor_id`."""

    __tablename__ = "circle_renewals"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), unique=True
    )
    successor_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
