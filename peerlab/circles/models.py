"""Working-Out-Loud circles: the circle, weekly check-ins and each member's private workspace.

Who belongs to a circle is core's `Membership` (space kind "circles.circle"); check-ins and
workspace entries hang off that membership row, so they go with it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

SPACE_KIND = "circles.circle"
MEETINGS = 12
MEETING_MINUTES = 60
ROLES = ("facilitator", "timekeeper", "member")
LANGUAGES = ("de", "en")


class Circle(db.Model):
    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    weekday: Mapped[int] = mapped_column(Integer)  # Monday = 0 … Sunday = 6
    local_time: Mapped[time] = mapped_column(Time())  # wall-clock time in `zone`
    zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    start_date: Mapped[date] = mapped_column(Date())
    video_url: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(2), default="de")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="circle_weekday"),)


class CheckIn(db.Model):
    """One member's check-in before one meeting (number 1–12)."""

    __tablename__ = "circle_checkins"
    __table_args__ = (UniqueConstraint("membership_id", "meeting_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    meeting_no: Mapped[int] = mapped_column(Integer)
    happened: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    need_help: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class _Private:
    """Workspace entries: the member's own; `shared` shows this one entry to the circle."""

    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Goal(_Private, db.Model):
    __tablename__ = "circle_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Relationship(_Private, db.Model):
    __tablename__ = "circle_relationships"
    __table_args__ = (CheckConstraint("closeness BETWEEN 0 AND 5", name="closeness_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    closeness: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")


class Contribution(_Private, db.Model):
    __tablename__ = "circle_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(String(300))
    to_whom: Mapped[str] = mapped_column(String(120), default="")
    on_day: Mapped[date] = mapped_column(Date())


from peerlab.circles import models_schedule  # noqa: E402, F401 - its tables belong to circles
