"""The round's result for the summary page, the Markdown export and the summary mail.

Built from the same rule as the socket payloads: no author of any topic appears (anonymous or
not — the result belongs to the round), nobody's votes, and in a confidential-group round no
names at all (action items keep only what and by when)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.lean_coffee.models import (
    ActionItem,
    Participant,
    Round,
    Takeaway,
    Topic,
    guest_label,
)
from peerlab.lean_coffee.service import notes, votes


@dataclass
class ActionLine:
    what: str
    owner: str | None  # the plain name; None: nobody named, or a guest whose name stays hidden
    due_on: date | None
    owner_guest: bool = False

    @property
    def owner_label(self) -> str | None:
        """The owner as shown, in the reader's language ("Gerda (Gast)", "Gast", "Anna")."""
        if self.owner_guest:
            return guest_label(self.owner)
        return self.owner


@dataclass
class TopicResult:
    id: int
    title: str
    detail: str
    votes: int | None
    status: str
    discussed_order: int | None
    takeaways: list[str] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)


@dataclass
class Summary:
    round: Round
    generated_at: datetime
    participants: int
    discussed: list[TopicResult]
    undiscussed: list[TopicResult]
    closing: list[str]


def _action_line(item: ActionItem, rnd: Round, named_guests: set[int]) -> ActionLine:
    if rnd.confidential:  # no names at all: what and by when
        return ActionLine(item.what, None, item.due_on)
    owner = notes.owner_of(item, named_guests)
    return ActionLine(item.what, owner.name, item.due_on, owner.guest)


def build(rnd: Round, *, now: datetime) -> Summary:
    """Topics in the order discussed, then the undiscussed ones by votes."""
    counted = votes.totals(rnd) if rnd.phase not in ("collect", "vote") else {}
    hide_counts = rnd.phase in ("collect", "vote")
    rows = db.session.scalars(
        select(Topic).where(
            Topic.round_id == rnd.id,
            Topic.status.in_(("open", "discussing", "discussed", "skipped")),
        )
    ).all()
    takeaways: dict[int, list[str]] = {}
    for item in db.session.scalars(
        select(Takeaway).where(Takeaway.round_id == rnd.id).order_by(Takeaway.id)
    ):
        takeaways.setdefault(item.topic_id, []).append(item.text)
    actions: dict[int, list[ActionLine]] = {}
    named_guests = notes.guests_named_by_themselves(rows)
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.round_id == rnd.id).order_by(ActionItem.id)
    ):
        actions.setdefault(item.topic_id, []).append(_action_line(item, rnd, named_guests))
    results = [
        TopicResult(
            t.id,
            t.title,
            t.detail,
            None if hide_counts else counted.get(t.id, 0),
            t.status,
            t.discussed_order,
            takeaways.get(t.id, []),
            actions.get(t.id, []),
        )
        for t in rows
    ]
    discussed = sorted(
        (r for r in results if r.discussed_order is not None), key=lambda r: r.discussed_order
    )
    undiscussed = sorted(
        (r for r in results if r.discussed_order is None), key=lambda r: (-(r.votes or 0), r.id)
    )
    closing = list(
        db.session.scalars(
            select(Participant.closing_text)
            .where(Participant.round_id == rnd.id, Participant.closing_text.is_not(None))
            .order_by(Participant.id)
        ).all()
    )
    participants = (
        db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.round_id == rnd.id,
                Participant.removed_at.is_(None),
                Participant.joined_at.is_not(None),
            )
        )
        or 0
    )
    return Summary(rnd, now, participants, discussed, undiscussed, closing)
