"""What belongs to whom in a round, for many participants at once (their private `me`).

Two queries for any number of participants and topics: the round's votes, topics, notes and
thumbs are read once and split per person in Python. Anonymous topics carry no author id, only
an HMAC mark: those are compared per person, which costs CPU, not queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    literal,
    null,
    select,
    union_all,
)

from peerlab.core import authormarks
from peerlab.extensions import db
from peerlab.lean_coffee.models import ActionItem, RomanVote, Round, Takeaway, Thumb, Topic, Vote
from peerlab.lean_coffee.service.topics import TOPIC_MARK

GONE_TOPIC_STATES = ("withdrawn", "removed", "merged")


@dataclass
class Own:
    votes: dict[int, dict[int, int]] = field(default_factory=dict)
    topic_ids: dict[int, list[int]] = field(default_factory=dict)
    thumbs: dict[int, str] = field(default_factory=dict)
    takeaway_ids: dict[int, list[int]] = field(default_factory=dict)
    action_ids: dict[int, list[int]] = field(default_factory=dict)


def load(rnd: Round, participant_ids: list[int]) -> Own:
    """Own votes, topics, thumb, takeaways and action items of each of `participant_ids`."""
    ids = sorted(set(participant_ids))
    own = Own()
    _own_topics(rnd, ids, own)
    # Votes, the thumb in an open Roman vote and own notes in one statement: rows of
    # (kind, participant, item id, dots, thumb value).
    rows = db.session.execute(_own_items(), {"round_id": rnd.id, "ids": ids}).all()
    for kind, pid, item_id, dots, value in sorted(rows, key=lambda r: r[2]):
        if kind == "v":
            own.votes.setdefault(pid, {})[item_id] = dots
        elif kind == "h":
            own.thumbs[pid] = value
        else:
            target = own.takeaway_ids if kind == "t" else own.action_ids
            target.setdefault(pid, []).append(item_id)
    return own


@cache
def _own_items() -> CompoundSelect:
    """The statement of `load`, built once (building it per call cost more CPU than running
    it, bench/cpu_per_vote.py); the round and the people are bound parameters."""
    round_id = bindparam("round_id", type_=Integer)
    ids = bindparam("ids", expanding=True, type_=Integer)
    return union_all(
        select(literal("v"), Vote.participant_id, Vote.topic_id, Vote.dots, null_text()).where(
            Vote.round_id == round_id, Vote.participant_id.in_(ids), Vote.dots > 0
        ),
        select(literal("h"), Thumb.participant_id, Thumb.id, literal(0), Thumb.value)
        .join(RomanVote, RomanVote.id == Thumb.roman_vote_id)
        .where(
            RomanVote.round_id == round_id,
            RomanVote.closed_at.is_(None),
            Thumb.participant_id.in_(ids),
        ),
        select(literal("t"), Takeaway.participant_id, Takeaway.id, literal(0), null_text()).where(
            Takeaway.round_id == round_id, Takeaway.participant_id.in_(ids)
        ),
        select(
            literal("a"), ActionItem.participant_id, ActionItem.id, literal(0), null_text()
        ).where(ActionItem.round_id == round_id, ActionItem.participant_id.in_(ids)),
    )


def null_text():
    return cast(null(), String)


@cache
def _round_topics() -> Select:
    """Authorship columns of the round's topics, built once (see `_own_items`)."""
    return (
        select(Topic.id, Topic.author_id, Topic.is_anonymous, Topic.author_nonce, Topic.author_mark)
        .where(
            Topic.round_id == bindparam("round_id", type_=Integer),
            Topic.status.notin_(GONE_TOPIC_STATES),
        )
        .order_by(Topic.id)
    )


def _own_topics(rnd: Round, ids: list[int], own: Own) -> None:
    rows = db.session.execute(_round_topics(), {"round_id": rnd.id}).all()
    wanted = set(ids)
    for topic_id, author_id, anonymous, nonce, mark in rows:
        if not anonymous:
            if author_id in wanted:
                own.topic_ids.setdefault(author_id, []).append(topic_id)
            continue
        if not nonce or not mark:
            continue
        for pid in ids:
            if authormarks.matches(TOPIC_MARK, nonce, mark, pid):
                own.topic_ids.setdefault(pid, []).append(topic_id)
                break  # one author per topic
