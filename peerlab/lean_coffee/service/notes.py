"""Takeaways and action items per topic, and each participant's closing one-liner."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from peerlab.accounts.models import User
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import (
    FACILITATING,
    ActionItem,
    Participant,
    Round,
    Takeaway,
    Topic,
    guest_label,
)
from peerlab.lean_coffee.service.rounds import participant_in, require_active
from peerlab.lean_coffee.service.topics import clean_text, get_topic

NOTE_TOPIC_STATES = ("discussing", "discussed", "skipped")
MAX_NOTES_PER_ROUND = 300


def _limit(rnd: Round, model) -> None:
    count = db.session.scalar(select(func.count(model.id)).where(model.round_id == rnd.id))
    if count >= MAX_NOTES_PER_ROUND:
        raise Conflict(_("Es sind keine weiteren Einträge möglich."), code="limit_reached")


def add_takeaway(
    rnd: Round, me: Participant, topic_id: int, text: str, *, now: datetime
) -> Takeaway:
    require_active(rnd, "discuss", "wrapup")
    topic = get_topic(rnd, topic_id, *NOTE_TOPIC_STATES)
    message = _("Bitte schreiben Sie eine Erkenntnis mit höchstens 280 Zeichen.")
    text = clean_text(text, empty_message=message)
    if len(text) > 280:
        raise InvalidInput(message)
    _limit(rnd, Takeaway)
    item = Takeaway(
        round_id=rnd.id, topic_id=topic.id, participant_id=me.id, text=text, created_at=now
    )
    db.session.add(item)
    db.session.flush()
    return item


def _own_or_facilitator(item, me: Participant) -> None:
    if item.participant_id != me.id and me.role not in FACILITATING:
        raise Forbidden()


def delete_takeaway(rnd: Round, me: Participant, takeaway_id: int) -> None:
    require_active(rnd, "discuss", "wrapup")
    item = db.session.get(Takeaway, takeaway_id)
    if item is None or item.round_id != rnd.id:
        raise NotFound()
    _own_or_facilitator(item, me)
    db.session.delete(item)
    db.session.flush()


def parse_due(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as err:
        raise InvalidInput(
            _("Bitte geben Sie das Datum als JJJJ-MM-TT an."), code="bad_payload"
        ) from err


def add_action(
    rnd: Round,
    me: Participant,
    topic_id: int,
    what: str,
    *,
    owner_participant_id: int | None = None,
    owner_name: str = "",
    due_on: date | None = None,
    now: datetime,
) -> ActionItem:
    """An action item: what, who (a participant or a free-text name), by when."""
    require_active(rnd, "discuss", "wrapup")
    topic = get_topic(rnd, topic_id, *NOTE_TOPIC_STATES)
    message = _("Bitte beschreiben Sie die Aufgabe mit höchstens 200 Zeichen.")
    what = clean_text(what, empty_message=message)
    owner_name = clean_text(owner_name)
    if len(what) > 200 or len(owner_name) > 60:
        raise InvalidInput(message)
    owner = None
    if owner_participant_id is not None:
        # A reference, also for a guest: never a copy of the guest's name (see owner_of).
        owner = participant_in(rnd, owner_participant_id)
    _limit(rnd, ActionItem)
    item = ActionItem(
        round_id=rnd.id,
        topic_id=topic.id,
        participant_id=me.id,
        what=what,
        owner_participant_id=owner.id if owner else None,
        owner_name=owner_name if owner is None else "",
        due_on=due_on,
        created_at=now,
    )
    db.session.add(item)
    db.session.flush()
    return item


def guests_named_by_themselves(topics: Iterable[Topic]) -> set[int]:
    """Participant ids of guests who put their name on the board themselves: the author of a
    non-anonymous topic among `topics` (the board's loaded cards: no extra query)."""
    return {
        t.author_id
        for t in topics
        if not t.is_anonymous and t.author is not None and t.author.is_guest
    }


@dataclass(frozen=True)
class Owner:
    """Who an action item names, as others may see it: `name` is the plain name (None: no
    owner, or a guest whose name stays hidden); `guest` says it is a guest. The guest marker
    ("(Gast)" / "(guest)") is added where it is shown, in the reader's language."""

    name: str | None
    guest: bool = False

    @property
    def label(self) -> str | None:
        """The owner as text in the reader's language (pages, exports, mails)."""
        return guest_label(self.name) if self.guest else self.name


def owner_of(
    item: ActionItem, named_guests: Collection[int], names: dict[int, str] | None = None
) -> Owner:
    """The owner of an action item as others see it. A member: their name (in a group's
    round, `names` given: their identity in the group). A guest: their name only if they
    showed it on a topic themselves, else no name (shown as "Gast"), so nobody can publish a
    guest's name by naming them as owner. Free text as written."""
    from peerlab.lean_coffee.access import shown_name

    owner = item.owner
    if owner is None:
        return Owner(item.owner_name or None)
    if names is not None:
        return Owner(shown_name(owner, names))
    if owner.is_guest:
        return Owner(owner.name if owner.id in named_guests else None, guest=True)
    return Owner(owner.name)


def delete_action(rnd: Round, me: Participant, action_id: int) -> None:
    require_active(rnd, "discuss", "wrapup")
    item = db.session.get(ActionItem, action_id)
    if item is None or item.round_id != rnd.id:
        raise NotFound()
    _own_or_facilitator(item, me)
    db.session.delete(item)
    db.session.flush()


def mark_action_done(action_id: int, user: User, *, done: bool, now: datetime) -> ActionItem:
    """The owner ticks an action item off (or back on) from the dashboard; anyone else: 404."""
    item = db.session.get(ActionItem, action_id)
    owner = item.owner if item is not None else None
    if owner is None or owner.user_id != user.id or owner.removed_at is not None:
        raise NotFound()
    item.done_at = now if done else None
    db.session.flush()
    return item


def set_closing(rnd: Round, me: Participant, text: str) -> None:
    """Your one-line closing takeaway (empty removes it)."""
    require_active(rnd, "wrapup")
    text = (text or "").strip()
    if len(text) > 200:
        raise InvalidInput(
            _("Bitte fassen Sie sich in einem Satz (höchstens 200 Zeichen)."), code="too_long"
        )
    me.closing_text = text or None
    db.session.flush()


def own_ids(rnd: Round, me: Participant) -> tuple[list[int], list[int]]:
    takeaways = db.session.scalars(
        select(Takeaway.id).where(Takeaway.round_id == rnd.id, Takeaway.participant_id == me.id)
    ).all()
    actions = db.session.scalars(
        select(ActionItem.id).where(
            ActionItem.round_id == rnd.id, ActionItem.participant_id == me.id
        )
    ).all()
    return list(takeaways), list(actions)
