"""The vote's own path (vote:cast, vote:retract), on plain rows instead of ORM objects.

A vote is the most frequent change of a round: everyone votes at once. After the round's
version bump (the lock), ONE statement reads what the vote needs: the round's voting rules,
the voter's row as the round's policy admits it (access.participant_clause) and the topic.
Loading the round and the voter as ORM objects (the voter with its membership and account)
cost about a quarter of a vote's CPU (bench/cpu_per_vote.py). The checks and their order are
those of the ORM path: unknown round or no access → NotFound, then phase, then topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User, display_name_of
from peerlab.core.errors import NotFound
from peerlab.core.locking import bump_version
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import Participant, Round, Topic
from peerlab.lean_coffee.service import votes
from peerlab.lean_coffee.service.rounds import require_active
from peerlab.lean_coffee.service.topics import check_topic


@dataclass(frozen=True, slots=True)
class RoundRow:
    """The round as a vote sees it (the names of `Round`'s attributes)."""

    id: int
    version: int
    phase: str
    cancelled_at: datetime | None
    vote_budget: int
    multiple_dots: bool
    access: str
    link_nonce: str | None
    group_id: int | None

    @property
    def room(self) -> str:
        return f"round:{self.id}"

    @property
    def confidential(self) -> bool:
        return self.group_id is not None


@dataclass(slots=True)
class Voter:
    """The voter as `me` needs them (the names of `Participant`'s attributes)."""

    id: int
    role: str
    user_id: int | None
    guest_id: int | None
    name: str
    votes_used: int
    closing_text: str | None

    @property
    def is_guest(self) -> bool:
        return self.guest_id is not None


@dataclass(frozen=True, slots=True)
class Ballot:
    round: RoundRow
    voter: Voter
    topic_id: int


_ROUND = (
    Round.id,
    Round.version,
    Round.phase,
    Round.cancelled_at,
    Round.vote_budget,
    Round.multiple_dots,
    Round.access,
    Round.link_nonce,
    Round.group_id,
)
_VOTER = (
    Participant.id,
    Participant.role,
    Participant.user_id,
    Participant.guest_id,
    Participant.display_name,
    Participant.votes_used,
    Participant.closing_text,
    User.name,
    User.email,
)


def open_ballot(actor: Actor, round_id: int, topic_id: int, *topic_states: str) -> Ballot:
    """Lock the round (version bump), then read round, voter and topic in one statement and
    check them: NotFound for an unknown round or someone the policy keeps out, WrongPhase
    outside voting, NotFound/Conflict for a topic not of this round or not in `topic_states`."""
    shape, params = access.bound_actor(actor)
    clause = access.bound_participant_clause(shape) if shape else access.participant_clause(actor)
    bump_version(Round, round_id)
    if clause is None:
        raise NotFound()
    stmt = _read(shape) if shape else _build_read(clause)
    params.update(b_round_id=round_id, b_topic_id=topic_id)
    row = db.session.execute(stmt, params).first()
    if row is None:  # deleted between the bump and the read: cannot happen under the lock
        raise NotFound()
    rnd = RoundRow(*row[:9])
    pid, role, user_id, guest_id, display_name, used, closing, user_name, email = row[9:18]
    if pid is None:
        raise NotFound()
    name = display_name_of(user_name, email) if user_id is not None else display_name
    voter = Voter(pid, role, user_id, guest_id, name, used, closing)
    require_active(rnd, "vote")
    check_topic(rnd.id, row[18:20] if row[18] is not None else None, topic_states)
    return Ballot(rnd, voter, topic_id)


@cache
def _read(shape: access.Shape) -> Any:
    """The ballot's read for every actor of one shape, built once (bench/cpu_per_vote.py)."""
    clause = access.bound_participant_clause(shape)
    assert clause is not None
    return _build_read(clause)


def _build_read(clause: Any) -> Any:
    return (
        select(*_ROUND, *_VOTER, Topic.round_id, Topic.status)
        .select_from(Round)
        .outerjoin(Participant, clause)
        .outerjoin(User, User.id == Participant.user_id)
        .outerjoin(Topic, Topic.id == bindparam("b_topic_id", type_=Integer))
        .where(Round.id == bindparam("b_round_id", type_=Integer))
        .limit(1)
    )


def cast(ballot: Ballot) -> None:
    """Put one dot on the ballot's topic (the budget and one-dot rule as in votes.cast_vote);
    the voter's counter is kept in step with the database."""
    rnd, voter = ballot.round, ballot.voter
    voter.votes_used = votes.take_from_budget(voter.id, rnd.vote_budget)
    votes.put_dot(rnd.id, bool(rnd.multiple_dots), voter.id, ballot.topic_id)


def retract(ballot: Ballot) -> None:
    """Take one of the voter's dots back from the ballot's topic (as votes.retract_vote)."""
    voter = ballot.voter
    voter.votes_used = votes.take_back(voter.id, ballot.topic_id)
