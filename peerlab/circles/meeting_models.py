"""One live weekly meeting of a circle: who runs it this week, its plan settings and its notes.

The agenda (turns, the week's exercise, the timer and speaking-time accounts) is core's timed
agenda of subject kind "circles.meeting" with this row's id; `version` orders the meeting's
broadcasts (every change bumps it, expiries included).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db


class CircleMeeting(db.Model):
    __tablename__ = "circle_meetings"
    __table_args__ = (
        UniqueConstraint("circle_id", "number"),
        CheckConstraint("number BETWEEN 1 AND 24", name="meeting_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    timekeeper_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total_minutes: Mapped[int] = mapped_column(Integer, default=45)
    exercise_minutes: Mapped[int] = mapped_column(Integer, default=10)
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
