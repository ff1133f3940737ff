"""The round's result for the summary page, the Markdown export and the summary mail.

Built from the same rule as the socket payloads: no author of any topic appears (anonymous or
not — the result belongs to the round), nobody's votes; in a confidential group's round the
owners of action items by their identity in the group. A group's round has this page only:
no Markdown, PDF or mail (`page_only`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.lean_coffee.access import group_names
from peerlab.lean_coffee.models import (
    ActionItem,
    Participant,
    Round,
    Takeaway,
    Topic,
    guest_label,
)
from peerlab.lean_coffee.service import notes, votes


def page_only(rnd: Round) -> bool:
    """A copy of the result that would leave peerlab (Markdown, PDF, mail): none for a round
    of a confidential group, whose summary page inside the group is the only copy."""
    return rnd.group_id is not None


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


def _action_line(
    item: ActionItem, names: dict[int, str] | None, named_guests: set[int]
) -> ActionLine:
    owner = notes.owner_of(item, named_guests, names)
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
    names = group_names(rnd)  # a group's round: owners by their identity in the group
    named_guests = notes.guests_named_by_themselves(rows)
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.round_id == rnd.id).order_by(ActionItem.id)
    ):
        actions.setdefault(item.topic_id, []).append(_action_line(item, names, named_guests))
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
