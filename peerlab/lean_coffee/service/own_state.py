"""What belongs to whom in a round, for many participants at once (their private `me`).

One query for any number of participants and topics: the round's votes, topics, notes and
thumbs are read at once and split per person in Python. Anonymous topics carry no author id, only
an HMAC mark: those are compared per person, which costs CPU, not queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import (
    CompoundSelect,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from peerlab.core import authormarks
from peerlab.extensions import db
from peerlab.lean_coffee.models import ActionItem, RomanVote, Takeaway, Thumb, Topic, Vote
from peerlab.lean_coffee.service.topics import TOPIC_MARK

GONE_TOPIC_STATES = ("withdrawn", "removed", "merged")


@dataclass
class Own:
    votes: dict[int, dict[int, int]] = field(default_factory=dict)
    topic_ids: dict[int, list[int]] = field(default_factory=dict)
    thumbs: dict[int, str] = field(default_factory=dict)
    takeaway_ids: dict[int, list[int]] = field(default_factory=dict)
    action_ids: dict[int, list[int]] = field(default_factory=dict)
    # The round's public voting progress (`with_progress=True`): read in the same statement
    # after a vote, whose broadcast needs it too.
    progress: dict[str, int] | None = None


def load(round_id: int, participant_ids: list[int], *, with_progress: bool = False) -> Own:
    """Own votes, topics, thumb, takeaways and action items of each of `participant_ids`."""
    ids = sorted(set(participant_ids))
    own = Own()
    wanted = set(ids)
    # One statement of rows (kind, participant, item id, number, text, mark); sorted by item
    # id, so every list comes out in the order the items were made.
    rows = db.session.execute(_own_items(with_progress), {"round_id": round_id, "ids": ids})
    for kind, pid, item_id, number, value, mark in sorted(rows.all(), key=lambda r: r[2] or 0):
        if kind == "v":
            own.votes.setdefault(pid, {})[item_id] = number
        elif kind == "o":
            _own_topic(own, wanted, ids, item_id, pid, bool(number), value, mark)
        elif kind == "h":
            own.thumbs[pid] = value
        elif kind == "p":
            own.progress = {"dots_cast": int(number or 0), "voters": int(item_id or 0)}
        else:
            target = own.takeaway_ids if kind == "t" else own.action_ids
            target.setdefault(pid, []).append(item_id)
    return own


def _own_topic(
    own: Own,
    wanted: set[int],
    ids: list[int],
    topic_id: int,
    author_id: int | None,
    anonymous: bool,
    nonce: str | None,
    mark: str | None,
) -> None:
    if not anonymous:
        if author_id in wanted:
            own.topic_ids.setdefault(author_id, []).append(topic_id)
        return
    if not nonce or not mark:
        return
    for pid in ids:
        if authormarks.matches(TOPIC_MARK, nonce, mark, pid):
            own.topic_ids.setdefault(pid, []).append(topic_id)
            return  # one author per topic


@cache
def _own_items(with_progress: bool) -> CompoundSelect:
    """The statement of `load`, built once per kind (building it per call cost more CPU than
    running it, bench/cpu_per_vote.py); the round and the people are bound parameters.
    Topics come as (o, author id or null, topic id, anonymous, nonce, mark): a person's own
    anonymous topic is found by its mark, per person, in Python."""
    round_id = bindparam("round_id", type_=Integer)
    ids = bindparam("ids", expanding=True, type_=Integer)
    parts = [
        select(
            literal("v"), Vote.participant_id, Vote.topic_id, Vote.dots, null_text(), null_text()
        ).where(Vote.round_id == round_id, Vote.participant_id.in_(ids), Vote.dots > 0),
        select(
            literal("o"),
            Topic.author_id,
            Topic.id,
            cast(Topic.is_anonymous, Integer),
            Topic.author_nonce,
            Topic.author_mark,
        ).where(
            Topic.round_id == round_id,
            Topic.status.notin_(GONE_TOPIC_STATES),
            or_(Topic.is_anonymous, Topic.author_id.in_(ids)),
        ),
        select(literal("h"), Thumb.participant_id, Thumb.id, literal(0), Thumb.value, null_text())
        .join(RomanVote, RomanVote.id == Thumb.roman_vote_id)
        .where(
            RomanVote.round_id == round_id,
            RomanVote.closed_at.is_(None),
            Thumb.participant_id.in_(ids),
        ),
        select(
            literal("t"), Takeaway.participant_id, Takeaway.id, literal(0), null_text(), null_text()
        ).where(Takeaway.round_id == round_id, Takeaway.participant_id.in_(ids)),
        select(
            literal("a"),
            ActionItem.participant_id,
            ActionItem.id,
            literal(0),
            null_text(),
            null_text(),
        ).where(ActionItem.round_id == round_id, ActionItem.participant_id.in_(ids)),
    ]
    if with_progress:
        parts.append(
            select(
                literal("p"),
                cast(null(), Integer),
                func.count(func.distinct(Vote.participant_id)),
                func.coalesce(func.sum(Vote.dots), 0),
                null_text(),
                null_text(),
            ).where(Vote.round_id == round_id)
        )
    return union_all(*parts)


def null_text():
    return cast(null(), String)
