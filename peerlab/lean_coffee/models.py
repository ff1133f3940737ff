"""Lean Coffee tables. The author of an anonymous topic is never stored as an id (see Topic).
Who belongs to a round is its memberships (core.spaces); `Participant` adds Lean Coffee's own
columns to them."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship, synonym, validates

from peerlab.core.spaces import Membership
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

SPACE_KIND = "lean_coffee.round"  # the rounds' kind of space (memberships, guest passes)

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


@cache
def _removed_row() -> Any:
    """The membership alias of `Participant.removed_at`'s subquery, made once."""
    return aliased(Membership, name="removed_row")


class Participant(Membership):
    """A person in one round: a user (invited or by link) or a guest with a pass.

    The person, role, status, display name and join/leave times are the round's `Membership`
    row (core.spaces, kind "lean_coffee.round", space id = round id); this table keeps only
    what Lean Coffee adds, under the membership's id. Lean Coffee's words for the membership's
    columns stay available: `round_id` is the space id; `removed_at` is the time of leaving
    when the status is "removed"; setting `joined_at` makes an invited person active.
    An `update(Participant)` writes this table only; if its WHERE names membership columns
    other than `removed_at`, join them (`Membership.id == Participant.id`), else SQL joins
    every membership. Rows go with their membership: delete `Membership` rows, not these."""

    __tablename__ = "lean_coffee_participants"
    __mapper_args__ = {"polymorphic_identity": SPACE_KIND}

    id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    # Sent an invitation (calendar updates go to these), whether or not they came yet; people
    # who came by the link only are not.
    invited: Mapped[bool] = mapped_column(Boolean, default=False)
    # The vote budget is enforced on this counter with a conditional UPDATE (never count+insert).
    votes_used: Mapped[int] = mapped_column(Integer, default=0)
    closing_text: Mapped[str | None] = mapped_column(String(200))

    round_id = synonym("space_id")
    user = relationship("User", lazy="joined")

    def __init__(self, *, removed_at: datetime | None = None, **values) -> None:
        values.setdefault("space_kind", SPACE_KIND)
        values.setdefault("role", "participant")
        values.setdefault("display_name", "")
        values.setdefault("invited", False)
        values.setdefault("votes_used", 0)
        values.setdefault("status", "active" if values.get("joined_at") else "invited")
        super().__init__(**values)
        if removed_at is not None:
            self.removed_at = removed_at

    @validates("joined_at")
    def _joining_activates(self, _key: str, value: datetime | None) -> datetime | None:
        if value is not None and self.status in (None, "invited"):
            self.status = "active"
        return value

    @hybrid_property
    def removed_at(self) -> datetime | None:
        return self.left_at if self.status == "removed" else None

    @removed_at.inplace.setter
    def _removed_at_set(self, value: datetime | None) -> None:
        if value is None:  # taken back: the status follows the join time again
            self.status = "active" if self.joined_at is not None else "invited"
            self.left_at = None
        else:
            self.status = "removed"
            self.left_at = value

    @removed_at.inplace.expression
    @classmethod
    def _removed_at_expression(cls) -> ColumnElement[datetime | None]:
        # A subquery over the membership, correlated by this table's id: it also holds in an
        # UPDATE of this table (which would otherwise join `memberships` with no condition).
        # One alias for every use: building a fresh `aliased(Membership)` per statement made
        # SQLAlchemy copy all of the table's columns each time (bench/cpu_per_vote.py).
        row = _removed_row()
        return (
            select(row.left_at)
            .where(row.id == cls.id, row.status == "removed")
            .correlate_except(row)  # the shared alias is always this subquery's own row
            .scalar_subquery()
        )

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
