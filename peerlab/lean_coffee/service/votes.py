"""Dot voting. The budget is enforced by the database: a conditional UPDATE on the
participant's counter (`votes_used < budget`) with a rowcount check, never count-then-insert;
one dot row per (topic, participant) guarded by a unique constraint."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from peerlab.core.errors import BudgetExhausted, Conflict
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Round, Topic, Vote
from peerlab.lean_coffee.service.rounds import require_active
from peerlab.lean_coffee.service.topics import require_topic


def take_from_budget(voter_id: int, budget: int) -> int:
    """One vote off the voter's budget (conditional UPDATE); the new `votes_used`, or
    BudgetExhausted."""
    taken = db.session.execute(
        _take_statement(), {"b_participant_id": voter_id, "b_budget": budget}
    ).first()
    if taken is None:
        raise BudgetExhausted()
    return taken[0]


@cache
def _take_statement() -> Any:
    """The budget UPDATE, built once with bound parameters, on the table itself (the ORM's
    bulk UPDATE of the inherited `Participant` cost a fifth of the vote's statements' CPU,
    bench/cpu_per_vote.py). The voter must not be removed (`Participant.removed_at`)."""
    table = Participant.__table__
    membership = aliased(Membership.__table__, name="removed_row")
    removed_at = (
        select(membership.c.left_at)
        .where(membership.c.id == table.c.id, membership.c.status == "removed")
        .scalar_subquery()
    )
    return (
        update(table)
        .where(
            table.c.id == bindparam("b_participant_id", type_=Integer),
            removed_at.is_(None),
            table.c.votes_used < bindparam("b_budget", type_=Integer),
        )
        .values(votes_used=table.c.votes_used + 1)
        .returning(table.c.votes_used)
    )


def _keep_in_step(participant: Participant, votes_used: int) -> None:
    """The counter as the UPDATE left it, without another SELECT (the voter's `me` reads it)."""
    set_committed_value(participant, "votes_used", votes_used)


def cast_vote(rnd: Round, voter: Participant, topic_id: int) -> None:
    """Put one dot on a topic (vote phase only; budget and one-dot rule hold under races)."""
    require_active(rnd, "vote")
    topic_id = require_topic(rnd, topic_id, "open")
    _keep_in_step(voter, take_from_budget(voter.id, rnd.vote_budget))
    put_dot(rnd.id, bool(rnd.multiple_dots), voter.id, topic_id)


def put_dot(round_id: int, multiple_dots: bool, voter_id: int, topic_id: int) -> None:
    """The dot's row (after the budget was taken): a new row, or one dot more where several
    are allowed; Conflict where only one dot per topic is."""
    dialect = db.session.get_bind().dialect.name
    stmt = _dot_statement(dialect, multiple_dots)
    values = {"b_round_id": round_id, "b_topic_id": topic_id, "b_participant_id": voter_id}
    # RETURNING tells reliably (rowcount is -1 with RETURNING on psycopg) whether a row was
    # written: DO NOTHING on a conflict returns none.
    if db.session.execute(stmt, values).first() is None:
        # The pair exists and only one dot per topic is allowed: refused; the caller's
        # rollback also returns the budget taken above.
        raise Conflict(_("Sie haben diesem Thema schon einen Punkt gegeben."), code="already_voted")


@cache
def _dot_statement(dialect: str, multiple_dots: bool) -> Any:
    """INSERT … ON CONFLICT … RETURNING of one dot for the database in use (SQLite or
    PostgreSQL), built once per kind with the round, topic and voter as bound parameters."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Vote.__table__
    stmt = insert(table).values(
        round_id=bindparam("b_round_id", type_=Integer),
        topic_id=bindparam("b_topic_id", type_=Integer),
        participant_id=bindparam("b_participant_id", type_=Integer),
        dots=1,
    )
    if multiple_dots:
        stmt = stmt.on_conflict_do_update(
            index_elements=["topic_id", "participant_id"], set_={"dots": table.c.dots + 1}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=["topic_id", "participant_id"])
    return stmt.returning(table.c.id)


def retract_vote(rnd: Round, voter: Participant, topic_id: int) -> None:
    """Take one of your dots back from a topic while voting is open."""
    require_active(rnd, "vote")
    topic_id = require_topic(rnd, topic_id, "open")
    _keep_in_step(voter, take_back(voter.id, topic_id))


def take_back(voter_id: int, topic_id: int) -> int:
    """One of the voter's dots off the topic and back into the budget; the new
    `votes_used`, or Conflict when the voter has no dot there."""
    removed = db.session.execute(
        update(Vote)
        .where(Vote.topic_id == topic_id, Vote.participant_id == voter_id, Vote.dots > 0)
        .values(dots=Vote.dots - 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        raise Conflict(_("Sie haben diesem Thema keinen Punkt gegeben."), code="no_vote")
    db.session.execute(
        Vote.__table__.delete().where(
            Vote.topic_id == topic_id, Vote.participant_id == voter_id, Vote.dots <= 0
        )
    )
    given_back = db.session.execute(
        update(Participant)
        .where(Participant.id == voter_id, Participant.votes_used > 0)
        .values(votes_used=Participant.votes_used - 1)
        .returning(Participant.votes_used)
        .execution_options(synchronize_session=False)
    ).first()
    if given_back is None:  # cannot happen while the counters agree; refuse rather than corrupt
        raise Conflict()
    return given_back[0]


def totals(rnd: Round) -> dict[int, int]:
    """Dots per topic id (only for revealed counts and ranking)."""
    rows = db.session.execute(
        select(Vote.topic_id, func.sum(Vote.dots))
        .where(Vote.round_id == rnd.id)
        .group_by(Vote.topic_id)
    ).all()
    return {topic_id: int(total or 0) for topic_id, total in rows}


def my_votes(rnd: Round, participant: Participant) -> dict[int, int]:
    rows = db.session.execute(
        select(Vote.topic_id, Vote.dots).where(
            Vote.round_id == rnd.id, Vote.participant_id == participant.id
        )
    ).all()
    return {topic_id: dots for topic_id, dots in rows if dots > 0}


@cache
def _progress_statement() -> Any:
    return select(
        func.coalesce(func.sum(Vote.dots), 0), func.count(func.distinct(Vote.participant_id))
    ).where(Vote.round_id == bindparam("b_round_id", type_=Integer))


def progress(rnd: Round) -> dict[str, int]:
    """Public progress while counts are hidden: dots cast and how many people voted."""
    dots, voters = db.session.execute(_progress_statement(), {"b_round_id": rnd.id}).one()
    return {"dots_cast": int(dots or 0), "voters": int(voters or 0)}


def close_voting(rnd: Round) -> None:
    """Reveal: store each waiting topic's total and its place (most votes first, ties by age)."""
    counted = totals(rnd)
    waiting = db.session.scalars(
        select(Topic).where(Topic.round_id == rnd.id, Topic.status == "open")
    ).all()
    ranked = sorted(waiting, key=lambda t: (-counted.get(t.id, 0), t.created_at, t.id))
    for position, topic in enumerate(ranked, start=1):
        topic.final_votes = counted.get(topic.id, 0)
        topic.queue_pos = position
    db.session.flush()
