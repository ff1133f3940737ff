"""Kollegiale Beratung (issue 12): a live peer-coaching session with roles and timed phases.

Who takes part is core's `Membership` (space kind "coaching.session"; the role is the
membership's role). The phases run on core's timed agenda; the method (phase order and
minutes) is kept here until the start. Cards, notes and the key question live only as long
as the session: at its end what the case giver keeps is copied into `CoachingKeep` (their own,
without authors) and everything else is deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

SPACE_KIND = "coaching.session"
CASE_GIVER, MODERATOR, ADVISER, SECRETARY, OBSERVER = (
    "case_giver",
    "moderator",
    "adviser",
    "secretary",
    "observer",
)
ROLES = (CASE_GIVER, MODERATOR, ADVISER, SECRETARY, OBSERVER)
MIN_ADVISERS, MAX_ADVISERS = 3, 8
MAX_OBSERVERS = 5

# The default method: phase key and minutes, in order.
PHASES = ("casting", "story", "key_question", "questions", "hypotheses", "proposals", "closing")
DEFAULT_MINUTES = {
    "casting": 5,
    "story": 10,
    "key_question": 5,
    "questions": 5,
    "hypotheses": 10,
    "proposals": 10,
    "closing": 5,
}
CARD_PHASES = ("questions", "hypotheses", "proposals")
MAX_CARD = 400
MAX_NOTES = 4000
MAX_KEY_QUESTION = 300
MAX_TRY = 300


class CoachingSession(db.Model):
    __tablename__ = "coaching_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    # The seam for confidential groups (issue 11): the hosting group's id, None stand-alone.
    # No foreign key yet (the groups table is built elsewhere); see docs/coaching.md.
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=0)
    auto_advance: Mapped[bool] = mapped_column(Boolean, default=False)
    case_giver_may_propose: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The adviser the moderator named to take over if the moderator drops (membership id).
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    key_question: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # the secretary's notes
    try_line: Mapped[str] = mapped_column(Text, default="")  # the case giver's own line


class CoachingPhase(db.Model):
    """One phase of a session's method before the start (then the agenda holds it)."""

    __tablename__ = "coaching_phases"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("minutes BETWEEN 1 AND 120", name="phase_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)


class CoachingCard(db.Model):
    """A clarifying question, hypothesis or proposal. Anonymous cards store no author at all
    (an unlinkable mark in core.authormarks lets the author's browser recognise it)."""

    __tablename__ = "coaching_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    marked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoachingKeep(db.Model):
    """What the case giver took home: their own, without authors; follows their account."""

    __tablename__ = "coaching_keeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_question: Mapped[str] = mapped_column(Text, default="")
    cards: Mapped[str] = mapped_column(Text, default="")  # JSON list of {"phase", "text"}
    notes: Mapped[str] = mapped_column(Text, default="")
    try_line: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
