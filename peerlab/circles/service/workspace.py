"""A member's private workspace: goal, relationship list, contributions log.

Only the member reads and writes it (`access.workspace_owner`); one entry at a time may be
shared with the circle (`shared`), which shows it to the circle's active members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.circles import access, prompts
from peerlab.circles.models import SPACE_KIND, Circle, Contribution, Goal, Relationship
from peerlab.core.errors import InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db

GOAL_MAX = 1000
ENTRY_KINDS = {"goal": Goal, "relationship": Relationship, "contribution": Contribution}


@dataclass(frozen=True)
class Workspace:
    goal: Goal | None
    relationships: list[Relationship]
    contributions: list[Contribution]


def _own(circle_id: int, actor) -> tuple[Circle, Membership]:
    circle, row = access.require_member(circle_id, actor)
    if not access.workspace_owner(row, actor):
        raise NotFound()
    return circle, row


def load(circle_id: int, actor) -> Workspace:
    _circle, row = _own(circle_id, actor)
    return Workspace(
        goal=db.session.scalar(select(Goal).where(Goal.membership_id == row.id)),
        relationships=list(
            db.session.scalars(
                select(Relationship)
                .where(Relationship.membership_id == row.id)
                .order_by(Relationship.closeness.desc(), Relationship.name)
            )
        ),
        contributions=list(
            db.session.scalars(
                select(Contribution)
                .where(Contribution.membership_id == row.id)
                .order_by(Contribution.on_day.desc(), Contribution.id.desc())
            )
        ),
    )


def save_goal(circle_id: int, actor, text: str, *, now: datetime) -> tuple[Goal, bool]:
    """Store the goal; the flag says it is longer than the hint's 25 words (allowed)."""
    _circle, row = _own(circle_id, actor)
    text = text.strip()
    if not text:
        raise InvalidInput(_("Bitte schreiben Sie Ihr Ziel in ein paar Worten auf."))
    if len(text) > GOAL_MAX:
        raise InvalidInput(_("Das Ziel hat höchstens 1000 Zeichen."))
    goal = db.session.scalar(select(Goal).where(Goal.membership_id == row.id))
    if goal is None:
        goal = Goal(membership_id=row.id, created_at=now)
        db.session.add(goal)
    goal.text = text
    goal.updated_at = now
    db.session.flush()
    return goal, prompts.word_count(text) > prompts.GOAL_WORD_HINT


def add_relationship(
    circle_id: int, actor, *, name: str, closeness: int, note: str, now: datetime
) -> Relationship:
    _circle, row = _own(circle_id, actor)
    name, note = name.strip(), note.strip()
    if not name:
        raise InvalidInput(_("Bitte nennen Sie eine Person oder Organisation."))
    if len(name) > 120 or len(note) > 500:
        raise InvalidInput(_("Name höchstens 120, Notiz höchstens 500 Zeichen."))
    if closeness not in range(6):
        raise InvalidInput(_("Die Nähe ist eine Zahl von 0 bis 5."))
    entry = Relationship(
        membership_id=row.id, name=name, closeness=closeness, note=note, created_at=now
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def add_contribution(
    circle_id: int, actor, *, what: str, to_whom: str, on_day: date, now: datetime
) -> Contribution:
    _circle, row = _own(circle_id, actor)
    what, to_whom = what.strip(), to_whom.strip()
    if not what:
        raise InvalidInput(_("Bitte beschreiben Sie den Beitrag."))
    if len(what) > 300 or len(to_whom) > 120:
        raise InvalidInput(_("Beitrag höchstens 300, Empfänger höchstens 120 Zeichen."))
    if not date(2000, 1, 1) <= on_day <= date(2100, 12, 31):
        raise InvalidInput(_("Bitte wählen Sie ein Datum zwischen 2000 und 2100."))
    entry = Contribution(
        membership_id=row.id, what=what, to_whom=to_whom, on_day=on_day, created_at=now
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _entry(circle_id: int, actor, kind: str, entry_id: int):
    _circle, row = _own(circle_id, actor)
    model = ENTRY_KINDS.get(kind)
    entry = db.session.get(model, entry_id) if model else None
    if entry is None or entry.membership_id != row.id:
        raise NotFound()
    return entry


def set_shared(circle_id: int, actor, kind: str, entry_id: int, shared: bool) -> None:
    _entry(circle_id, actor, kind, entry_id).shared = shared
    db.session.flush()


def delete_entry(circle_id: int, actor, kind: str, entry_id: int) -> None:
    db.session.delete(_entry(circle_id, actor, kind, entry_id))
    db.session.flush()


def shared_entries(circle: Circle, actor) -> list[tuple[User, str, object]]:
    """What members shared with the circle, for its active members: (author, kind, entry)."""
    access.require_member(circle.id, actor)
    result = []
    for kind, model in ENTRY_KINDS.items():
        rows = db.session.execute(
            select(model, User)
            .join(Membership, Membership.id == model.membership_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id == circle.id,
                Membership.status == "active",
                model.shared.is_(True),
            )
        ).all()
        result.extend((user, kind, entry) for entry, user in rows)
    return result
