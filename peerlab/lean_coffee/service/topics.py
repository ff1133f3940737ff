"""Topics: add, edit, withdraw (authors), remove, merge, reorder ties, skip (facilitators)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from peerlab.core import authormarks
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Round, Topic, Vote
from peerlab.lean_coffee.service.rounds import require_active

MAX_PER_PERSON = 20
MAX_PER_ROUND = 100
GROUP_FLOOR = 4  # anonymous topics in a group's round: at least this many others joined
# Anonymous topics carry a recognisable author mark (core.authormarks): outside groups the
# operator holding database and secret key could re-link them, and the board says so.
TOPIC_MARK = "lean-coffee-topic"
# In a group's round an anonymous topic gets the unlinkable mode instead: no author id, no
# mark; the author's browser holds a token for UNLINKABLE_WINDOW, then nobody can link it.
UNLINKABLE_KIND = "lean-coffee-group-topic"
UNLINKABLE_WINDOW = timedelta(minutes=15)
INVISIBLE_CATEGORIES = ("Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")


def get_topic(rnd: Round, topic_id: int, *states: str) -> Topic:
    """A topic of this round (in one of `states` if given) or NotFound."""
    topic = db.session.get(Topic, topic_id)
    check_topic(rnd.id, topic and (topic.round_id, topic.status), states)
    return topic


def require_topic(rnd: Round, topic_id: int, *states: str) -> int:
    """`get_topic`'s checks without loading the card (its author and their account are
    joined): one row of two columns, for a vote on a hot path. Returns the topic id."""
    row = db.session.execute(
        select(Topic.round_id, Topic.status).where(Topic.id == topic_id)
    ).first()
    check_topic(rnd.id, row and tuple(row), states)
    return topic_id


def check_topic(round_id: int, found: Any, states: tuple[str, ...]) -> None:
    """NotFound unless `found` (the topic's round id and status) is of this round; Conflict
    unless its status is one of `states` (if given)."""
    if found is None or found[0] != round_id:
        raise NotFound()
    if states and found[1] not in states:
        raise Conflict(_("Dieses Thema ist dafür nicht mehr verfügbar."))


def unlinkable(rnd: Round, anonymous: bool) -> bool:
    """Does an anonymous topic of this round use the unlinkable mode (a group's round)?"""
    return anonymous and rnd.group_id is not None


def is_author(
    topic: Topic,
    participant: Participant,
    token: str | None = None,
    *,
    now: datetime | None = None,
) -> bool:
    """Authorship: by id, by recognisable mark, or (a group round's anonymous topic, no mark)
    only by the token the author's browser holds, within the window. Without token: False."""
    if topic.is_anonymous and not topic.author_mark:
        if token is None or now is None:
            return False
        return authormarks.is_unlinkable_author(UNLINKABLE_KIND, topic.id, token, now=now)
    if topic.is_anonymous:
        return authormarks.matches(
            TOPIC_MARK, topic.author_nonce, topic.author_mark, participant.id
        )
    return topic.author_id == participant.id


def has_visible_character(text: str) -> bool:
    """False for text made only of white space and invisible characters: zero-width spaces
    and joiners, direction marks and other format characters (Unicode Cf), controls (Cc)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in INVISIBLE_CATEGORIES for ch in text
    )


def clean_text(value: str | None, *, empty_message: str | None = None) -> str:
    """Stripped text. InvalidInput for a NUL anywhere (databases refuse or cut it; nobody types
    it), for text that shows nothing (only invisible characters: a card nobody can read or
    recognise), and with `empty_message` for empty text when text is required."""
    text = (value or "").strip()
    if "\x00" in text:
        raise InvalidInput(_("Der Text enthält ein unzulässiges Steuerzeichen."), code="bad_text")
    if text and not has_visible_character(text):
        raise InvalidInput(
            _("Der Text besteht nur aus unsichtbaren Zeichen. Bitte schreiben Sie lesbaren Text."),
            code="invisible_text",
        )
    if empty_message is not None and not text:
        raise InvalidInput(empty_message)
    return text


def _check_text(title: str, detail: str) -> tuple[str, str]:
    title = clean_text(title, empty_message=_("Bitte geben Sie einen Titel ein."))
    detail = clean_text(detail)
    if len(title) > 120 or len(detail) > 280:
        raise InvalidInput(_("Der Text ist zu lang."), code="too_long")
    return title, detail


def add_topic(
    rnd: Round,
    author: Participant,
    title: str,
    detail: str = "",
    *,
    anonymous: bool = False,
    now: datetime,
) -> Topic:
    """A new card in the collect phase; anonymous cards store no author id."""
    return add_topic_with_token(rnd, author, title, detail, anonymous=anonymous, now=now)[0]


def add_topic_with_token(
    rnd: Round,
    author: Participant,
    title: str,
    detail: str = "",
    *,
    anonymous: bool = False,
    now: datetime,
) -> tuple[Topic, str | None]:
    """`add_topic`, with the token for the author's browser when the topic is anonymous in a
    group's round (handed out once, only its hash is kept until the window ends)."""
    require_active(rnd, "collect")
    title, detail = _check_text(title, detail)
    if anonymous and not rnd.anonymous_allowed:
        raise Conflict(
            _("In dieser Runde sind anonyme Themen nicht erlaubt."), code="anonymous_not_allowed"
        )
    if anonymous and rnd.group_id is not None:
        check_group_floor(rnd, author)
    in_round = db.session.scalar(select(func.count(Topic.id)).where(Topic.round_id == rnd.id))
    if in_round >= MAX_PER_ROUND or len(own_topic_ids(rnd, author)) >= MAX_PER_PERSON:
        raise Conflict(_("Es sind keine weiteren Themen möglich."), code="limit_reached")
    topic = Topic(
        round_id=rnd.id,
        title=title,
        detail=detail,
        is_anonymous=anonymous,
        status="open",
        created_at=now,
    )
    if unlinkable(rnd, anonymous):
        pass  # nothing about the author is stored with the topic
    elif anonymous:
        topic.author_nonce = authormarks.new_nonce()
        topic.author_mark = authormarks.recognisable(TOPIC_MARK, topic.author_nonce, author.id)
    else:
        topic.author_id = author.id
    db.session.add(topic)
    db.session.flush()
    token = None
    if unlinkable(rnd, anonymous):
        token = authormarks.issue_unlinkable(
            UNLINKABLE_KIND, topic.id, now=now, window=UNLINKABLE_WINDOW
        )
    return topic, token


def check_group_floor(rnd: Round, author: Participant) -> None:
    """An anonymous topic in a group's round: only while the group allows anonymous posts and
    at least GROUP_FLOOR others have joined the round (counted in the caller's transaction,
    which holds the round's lock: every event locks the round first)."""
    from peerlab.lean_coffee.access import group_hooks

    hooks = group_hooks()
    if hooks is None or not hooks.allows_anonymous(rnd):
        raise Conflict(
            _("Diese Gruppe erlaubt keine anonymen Beiträge."), code="anonymous_not_allowed"
        )
    others = db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.round_id == rnd.id,
            Participant.id != author.id,
            Participant.status == "active",
            Participant.joined_at.is_not(None),
        )
    )
    if others < GROUP_FLOOR:
        raise Conflict(
            _(
                "Anonym geht es in dieser Runde erst, wenn außer Ihnen mindestens %(n)d Personen "
                "der Runde beigetreten sind. Sie können das Thema mit Ihrem Namen in der Gruppe "
                "einbringen.",
                n=GROUP_FLOOR,
            ),
            code="anonymous_floor",
        )


def own_topic_ids(rnd: Round, participant: Participant) -> list[int]:
    """The participant's topics, anonymous ones included (only ever told to them)."""
    rows = db.session.scalars(
        select(Topic)
        .where(Topic.round_id == rnd.id, Topic.status.notin_(("withdrawn", "removed", "merged")))
        .order_by(Topic.id)
    ).all()
    return [t.id for t in rows if is_author(t, participant)]


def edit_topic(
    rnd: Round,
    me: Participant,
    topic_id: int,
    title: str,
    detail: str = "",
    *,
    token: str | None = None,
    now: datetime | None = None,
) -> Topic:
    require_active(rnd, "collect")
    topic = get_topic(rnd, topic_id, "open")
    if not is_author(topic, me, token, now=now):
        raise Forbidden(_("Nur die Person, die das Thema eingebracht hat, kann es ändern."))
    topic.title, topic.detail = _check_text(title, detail)
    db.session.flush()
    return topic


def withdraw_topic(
    rnd: Round,
    me: Participant,
    topic_id: int,
    *,
    token: str | None = None,
    now: datetime | None = None,
) -> Topic:
    require_active(rnd, "collect")
    topic = get_topic(rnd, topic_id, "open")
    if not is_author(topic, me, token, now=now):
        raise Forbidden(_("Nur die Person, die das Thema eingebracht hat, kann es zurückziehen."))
    topic.status = "withdrawn"
    authormarks.forget(UNLINKABLE_KIND, topic.id)
    db.session.flush()
    return topic


def _refund_votes(topic: Topic) -> list[int]:
    """Give every dot on `topic` back to its voter; returns the affected participant ids."""
    rows = db.session.scalars(select(Vote).where(Vote.topic_id == topic.id)).all()
    for vote in rows:
        db.session.execute(
            update(Participant)
            .where(Participant.id == vote.participant_id)
            .values(votes_used=Participant.votes_used - vote.dots)
            .execution_options(synchronize_session=False)
        )
        db.session.delete(vote)
    db.session.flush()
    return [v.participant_id for v in rows]


def remove_topic(rnd: Round, topic_id: int) -> list[int]:
    """Facilitator removes a waiting topic; during voting its dots go back to the voters."""
    require_active(rnd, "collect", "vote", "discuss")
    topic = get_topic(rnd, topic_id, "open")
    refunded = _refund_votes(topic) if rnd.phase == "vote" else []
    topic.status = "removed"
    db.session.flush()
    return refunded


def merge_topics(rnd: Round, topic_id: int, into_topic_id: int) -> list[int]:
    """Merge a duplicate into another topic; dots move along. Without several dots per topic,
    a person who had a dot on both gets the duplicate dot back. Returns affected voters."""
    require_active(rnd, "collect", "vote")
    if topic_id == into_topic_id:
        raise InvalidInput(_("Ein Thema kann nicht mit sich selbst zusammengeführt werden."))
    source = get_topic(rnd, topic_id, "open")
    target = get_topic(rnd, into_topic_id, "open")
    moving = db.session.scalars(select(Vote).where(Vote.topic_id == source.id)).all()
    affected = [vote.participant_id for vote in moving]
    # Both topics' votes in two queries, whatever the number of voters.
    on_target = {
        vote.participant_id: vote
        for vote in db.session.scalars(
            select(Vote).where(Vote.topic_id == target.id, Vote.participant_id.in_(affected))
        )
    }
    refunds: dict[int, list[int]] = {}  # dots to give back -> participant ids
    for vote in moving:
        existing = on_target.get(vote.participant_id)
        if existing is None:
            vote.topic_id = target.id
            continue
        if rnd.multiple_dots:
            existing.dots += vote.dots
        else:
            refunds.setdefault(vote.dots, []).append(vote.participant_id)
        db.session.delete(vote)
    for dots, participant_ids in refunds.items():
        db.session.execute(
            update(Participant)
            .where(Participant.id.in_(participant_ids))
            .values(votes_used=Participant.votes_used - dots)
            .execution_options(synchronize_session=False)
        )
    if source.detail or source.title:
        extra = source.title if not source.detail else f"{source.title}: {source.detail}"
        combined = f"{target.detail} · {extra}" if target.detail else extra
        target.detail = combined[:280]
    source.status = "merged"
    source.merged_into_id = target.id
    db.session.flush()
    return affected


def waiting_topics(rnd: Round) -> list[Topic]:
    return list(
        db.session.scalars(
            select(Topic)
            .where(Topic.round_id == rnd.id, Topic.status == "open")
            .order_by(Topic.queue_pos.is_(None), Topic.queue_pos, Topic.id)
        ).all()
    )


def reorder_tie(rnd: Round, topic_id: int, direction: str) -> None:
    """Swap a waiting topic with its neighbour, only when both have the same number of votes."""
    require_active(rnd, "discuss")
    if direction not in ("up", "down"):
        raise InvalidInput(_("Unbekannte Richtung."), code="bad_payload")
    queue = waiting_topics(rnd)
    topic = get_topic(rnd, topic_id, "open")
    index = queue.index(topic)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(queue) or queue[other_index].final_votes != topic.final_votes:
        raise Conflict(
            _("Nur Themen mit gleich vielen Punkten können getauscht werden."), code="not_tied"
        )
    other = queue[other_index]
    topic.queue_pos, other.queue_pos = other.queue_pos, topic.queue_pos
    db.session.flush()


def skip_topic(rnd: Round, topic_id: int, *, now: datetime) -> None:
    """Skip a waiting topic, or the current one (then the next topic is pulled)."""
    from peerlab.lean_coffee.service import discussion

    require_active(rnd, "discuss")
    topic = get_topic(rnd, topic_id, "open", "discussing")
    if topic.status == "discussing":
        discussion.finish_current(rnd, status="skipped", now=now)
        discussion.pull_next(rnd, now=now)
    else:
        topic.status = "skipped"
    db.session.flush()


def wrong_phase_for_votes() -> WrongPhase:
    return WrongPhase(_("Abstimmen ist nur in der Abstimmungsphase möglich."))
