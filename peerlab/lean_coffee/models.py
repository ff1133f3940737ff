"""Lean Coffee tables. The author of an anonymous topic is never stored as an id (see Topic)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

PHASES = ("collect", "vote", "discuss", "wrapup", "closed")
ROLES = ("facilitator", "cofacilitator", "participant", "guest")
FACILITATING = ("facilitator", "cofacilitator")


def guest_label(name: str | None) -> str:
    """A guest as the reader sees it, in the reader's language: the chosen name with the guest
    marker ("Gerda (Gast)"), or only the marker ("Gast") where the name stays hidden. Pages,
    exports and mails call this; socket payloads send the plain name and `guest: true`, and the
    board adds the marker from its own translated strings."""
    if name:
        return _("%(name)s (Gast)", name=name)
    return _("Gast")


# Topic states: open (waiting) · discussing · discussed · skipped · merged · withdrawn · removed
VISIBLE_TOPIC_STATES = ("open", "discussing", "discussed", "skipped")


class Round(db.Model):
    __tablename__ = "lean_coffee_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    planned_minutes: Mapped[int] = mapped_column(Integer, default=60)
    video_url: Mapped[str] = mapped_column(String(500), default="")
    vote_budget: Mapped[int] = mapped_column(Integer, default=3)
    multiple_dots: Mapped[bool] = mapped_column(Boolean, default=True)
    timebox_seconds: Mapped[int] = mapped_column(Integer, default=480)
    extension_percent: Mapped[int] = mapped_column(Integer, default=50)
    min_extension_seconds: Mapped[int] = mapped_column(Integer, default=60)
    anonymous_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    access: Mapped[str] = mapped_column(String(10), default="invited")  # invited | link
    # The guest link is an HMAC of (round, nonce) with the app secret: no usable token is stored;
    # a new nonce renews the link, None revokes it.
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    # Extension point: a round held inside a confidential group (groups do not exist yet).
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    phase: Mapped[str] = mapped_column(String(10), default="collect")
    version: Mapped[int] = mapped_column(Integer, default=0)
    current_topic_id: Mapped[int | None] = mapped_column(Integer)
    timebox_id: Mapped[int | None] = mapped_column(Integer)
    segment_seconds: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    follow_up_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def room(self) -> str:
        return f"round:{self.id}"

    @property
    def confidential(self) -> bool:
        return self.group_id is not None


class Participant(db.Model):
    """A person in one round: a user (invited or by link) or a guest with a pass."""

    __tablename__ = "lean_coffee_participants"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        UniqueConstraint("round_id", "guest_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("guest_passes.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[str] = mapped_column(String(16), default="participant")
    invited: Mapped[bool] = mapped_column(Boolean, default=False)
    # The vote budget is enforced on this counter with a conditional UPDATE (never count+insert).
    votes_used: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closing_text: Mapped[str | None] = mapped_column(String(200))

    user = relationship("User", lazy="joined")

    @property
    def is_guest(self) -> bool:
        return self.guest_id is not None

    @property
    def name(self) -> str:
        """The plain name: the member's, or the name a guest chose for this round. A guest
        chooses any name, also a member's exact name, so wherever a guest's name is shown it
        goes with `is_guest` (payloads: `guest: true`) or through `label`: the guest marker is
        always there and nobody can pass for a member."""
        if self.user is not None:
            return self.user.display_name
        return self.display_name

    @property
    def label(self) -> str:
        """The name with the guest marker in the reader's language (pages, exports, mails)."""
        return guest_label(self.name) if self.is_guest else self.name


class Topic(db.Model):
    """A card. Anonymous topics keep no author id: only `author_mark`, an HMAC of a random
    per-topic nonce and the author's participant id under the app secret, so the server can
    tell the author "this one is yours" and nobody can read the author from the row alone."""

    __tablename__ = "lean_coffee_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str] = mapped_column(String(280), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="SET NULL"), index=True
    )
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    author_nonce: Mapped[str | None] = mapped_column(String(32))
    author_mark: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="open")
    queue_pos: Mapped[int | None] = mapped_column(Integer)
    final_votes: Mapped[int | None] = mapped_column(Integer)
    discussed_order: Mapped[int | None] = mapped_column(Integer)
    merged_into_id: Mapped[int | None] = mapped_column(Integer)
    carried_from_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author = relationship("Participant", lazy="joined")


class Vote(db.Model):
    """The dots one participant put on one topic (a row per pair; `dots` ≥ 1)."""

    __tablename__ = "lean_coffee_votes"
    __table_args__ = (UniqueConstraint("topic_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_topics.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer, default=1)


class RomanVote(db.Model):
    """Thumbs after a timebox ended; closing is a due row (closes_at, closed_at)."""

    __tablename__ = "lean_coffee_roman_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_topics.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    previous_seconds: Mapped[int] = mapped_column(Integer, default=0)
    up: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[int | None] = mapped_column(Integer)
    down: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(8))  # extend | next
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_seconds: Mapped[int | None] = mapped_column(Integer)


class Thumb(db.Model):
    __tablename__ = "lean_coffee_thumbs"
    __table_args__ = (UniqueConstraint("roman_vote_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roman_vote_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_roman_votes.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(5))  # up | side | down


class Takeaway(db.Model):
    __tablename__ = "lean_coffee_takeaways"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_topics.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ActionItem(db.Model):
    __tablename__ = "lean_coffee_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("lean_coffee_topics.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="SET NULL"), index=True
    )
    what: Mapped[str] = mapped_column(String(200))
    owner_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("lean_coffee_participants.id", ondelete="SET NULL"), index=True
    )
    owner_name: Mapped[str] = mapped_column(String(60), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set by its owner

    owner = relationship("Participant", foreign_keys=[owner_participant_id], lazy="joined")
