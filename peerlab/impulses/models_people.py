"""The people around one impulse: speakers, questions sent in before the date, and the
anonymous feedback after it.

Feedback is two tables that share no key: `impulse_feedback_givers` says who answered
(impulse, person; one row each) and `impulse_feedback_answers` holds what was answered
(impulse, rating, comment) under a random id. Neither has a time. Both are stored without
SQLite's hidden rowid (`sqlite_with_rowid=False`), so their physical order is the order of
their primary keys (person id, random id), never the order of arrival (docs/impulses.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db


class Speaker(db.Model):
    """A speaker of one impulse: a member (user_id) or a guest (name and e-mail). A guest's
    personal link is an HMAC of (speaker, nonce) with the app secret: no usable token is
    stored; a new nonce renews the link, None revokes it."""

    __tablename__ = "impulse_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    impulse_id: Mapped[int] = mapped_column(
        ForeignKey("impulses.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")  # guests only
    email: Mapped[str] = mapped_column(String(254), default="")  # guests only
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    impulse = relationship("Impulse")
    user = relationship("User")

    __table_args__ = (
        UniqueConstraint("impulse_id", "user_id", name="uq_impulse_speaker_member"),
        CheckConstraint(
            "user_id IS NOT NULL OR (name <> '' AND email <> '')",
            name="who",
        ),
    )

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user is not None else self.name


class Question(db.Model):
    """A question a registered person sends in before the date. Organizers see who asked;
    speakers see the text only."""

    __tablename__ = "impulse_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    impulse_id: Mapped[int] = mapped_column(
        ForeignKey("impulses.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Handed on as an anonymous topic to a Lean Coffee round (its id; no foreign key: the
    # round may go, the note that it was handed on stays).
    handed_on_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handed_round_id: Mapped[int | None] = mapped_column(Integer)

    impulse = relationship("Impulse")
    user = relationship("User")


class FeedbackGiver(db.Model):
    """Who answered: one row per (impulse, person), nothing else."""

    __tablename__ = "impulse_feedback_givers"

    impulse_id: Mapped[int] = mapped_column(
        ForeignKey("impulses.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = ({"sqlite_with_rowid": False},)


class FeedbackAnswer(db.Model):
    """What was answered: rating and comment under a random id; no person, no time."""

    __tablename__ = "impulse_feedback_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    impulse_id: Mapped[int] = mapped_column(
        ForeignKey("impulses.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        {"sqlite_with_rowid": False},
    )
