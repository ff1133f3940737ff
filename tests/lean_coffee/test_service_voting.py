"""Service rules of collecting and dot voting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerlab.core.errors import BudgetExhausted, Conflict, Forbidden, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.models import Topic, Vote
from peerlab.lean_coffee.service import rounds, topics, votes


def to_vote(cast, now, n=3):
    made = [topics.add_topic(cast.round, cast.anna, f"Thema {i}", now=now) for i in range(n)]
    rounds.advance_phase(cast.round, "vote", now=now)
    return made


def test_topics_can_only_be_added_while_collecting(make_round, now):
    cast = make_round()
    to_vote(cast, now)
    with pytest.raises(WrongPhase):
        topics.add_topic(cast.round, cast.ben, "Zu spät", now=now)


def test_anonymous_topic_stores_no_author_but_author_recognises_it(make_round, now):
    cast = make_round()
    topic = topics.add_topic(cast.round, cast.anna, "Heikles Thema", anonymous=True, now=now)
    db.session.commit()
    row = db.session.get(Topic, topic.id)
    assert row.author_id is None
    assert topics.own_topic_ids(cast.round, cast.anna) == [topic.id]
    assert topics.own_topic_ids(cast.round, cast.ben) == []
    assert topics.own_topic_ids(cast.round, cast.fac) == []


def test_anonymous_topic_refused_when_round_forbids_it(make_round, now):
    cast = make_round(anonymous_allowed=False)
    with pytest.raises(Conflict) as err:
        topics.add_topic(cast.round, cast.anna, "X", anonymous=True, now=now)
    assert err.value.code == "anonymous_not_allowed"


def test_only_the_author_edits_or_withdraws_an_anonymous_topic(make_round, now):
    cast = make_round()
    topic = topics.add_topic(cast.round, cast.anna, "Mein Thema", anonymous=True, now=now)
    with pytest.raises(Forbidden):
        topics.edit_topic(cast.round, cast.fac, topic.id, "Übernommen")
    topics.edit_topic(cast.round, cast.anna, topic.id, "Mein Thema, genauer")
    topics.withdraw_topic(cast.round, cast.anna, topic.id)
    assert topic.status == "withdrawn"


def test_budget_is_enforced(make_round, now):
    cast = make_round(vote_budget=2)
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    votes.cast_vote(cast.round, cast.ben, t[1].id)
    db.session.commit()
    with pytest.raises(BudgetExhausted):
        votes.cast_vote(cast.round, cast.ben, t[2].id)
    db.session.rollback()
    db.session.refresh(cast.ben)
    assert cast.ben.votes_used == 2


def test_single_dot_rule_refuses_second_dot_and_keeps_budget(make_round, now):
    cast = make_round(multiple_dots=False)
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    db.session.commit()
    with pytest.raises(Conflict) as err:
        votes.cast_vote(cast.round, cast.ben, t[0].id)
    assert err.value.code == "already_voted"
    db.session.rollback()
    db.session.refresh(cast.ben)
    assert cast.ben.votes_used == 1


def test_multiple_dots_stack_on_one_topic(make_round, now):
    cast = make_round()
    t = to_vote(cast, now)
    for _ in range(3):
        votes.cast_vote(cast.round, cast.ben, t[0].id)
    assert votes.my_votes(cast.round, cast.ben) == {t[0].id: 3}


def test_retract_returns_the_vote(make_round, now):
    cast = make_round()
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    votes.retract_vote(cast.round, cast.ben, t[0].id)
    db.session.refresh(cast.ben)
    assert cast.ben.votes_used == 0
    assert votes.my_votes(cast.round, cast.ben) == {}
    with pytest.raises(Conflict) as err:
        votes.retract_vote(cast.round, cast.ben, t[0].id)
    assert err.value.code == "no_vote"


def test_voting_after_close_is_refused(make_round, now):
    cast = make_round()
    t = to_vote(cast, now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    with pytest.raises(WrongPhase):
        votes.cast_vote(cast.round, cast.ben, t[1].id)


def test_ranking_by_votes_ties_by_age(make_round, now):
    cast = make_round()
    t = to_vote(cast, now, n=3)
    votes.cast_vote(cast.round, cast.ben, t[2].id)
    votes.cast_vote(cast.round, cast.anna, t[1].id)
    votes.cast_vote(cast.round, cast.anna, t[2].id)
    rounds.advance_phase(cast.round, "discuss", now=now)
    assert cast.round.current_topic_id == t[2].id  # 2 votes
    assert [x.id for x in topics.waiting_topics(cast.round)] == [t[1].id, t[0].id]


def test_merge_moves_votes_and_refunds_duplicates_without_multiple_dots(make_round, now):
    cast = make_round(multiple_dots=False)
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    votes.cast_vote(cast.round, cast.ben, t[1].id)
    votes.cast_vote(cast.round, cast.anna, t[0].id)
    affected = topics.merge_topics(cast.round, t[0].id, t[1].id)
    db.session.commit()
    assert set(affected) == {cast.ben.id, cast.anna.id}
    assert votes.totals(cast.round) == {t[1].id: 2}
    db.session.refresh(cast.ben)
    db.session.refresh(cast.anna)
    assert cast.ben.votes_used == 1  # the duplicate dot came back
    assert cast.anna.votes_used == 1
    assert db.session.get(Topic, t[0].id).status == "merged"


def test_merge_adds_dots_with_multiple_dots(make_round, now):
    cast = make_round()
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    votes.cast_vote(cast.round, cast.ben, t[1].id)
    topics.merge_topics(cast.round, t[0].id, t[1].id)
    assert votes.my_votes(cast.round, cast.ben) == {t[1].id: 2}
    db.session.refresh(cast.ben)
    assert cast.ben.votes_used == 2


def test_removing_a_topic_while_voting_refunds_its_dots(make_round, now):
    cast = make_round()
    t = to_vote(cast, now)
    votes.cast_vote(cast.round, cast.ben, t[0].id)
    topics.remove_topic(cast.round, t[0].id)
    db.session.refresh(cast.ben)
    assert cast.ben.votes_used == 0
    assert db.session.scalars(select(Vote)).all() == []


def test_reorder_only_between_ties(make_round, now):
    cast = make_round()
    t = to_vote(cast, now, n=4)
    votes.cast_vote(cast.round, cast.ben, t[3].id)
    rounds.advance_phase(cast.round, "discuss", now=now)  # t3 is current, t0,t1,t2 tie at 0
    topics.reorder_tie(cast.round, t[1].id, "up")
    assert [x.id for x in topics.waiting_topics(cast.round)] == [t[1].id, t[0].id, t[2].id]
    votes_db = {x.id: x.final_votes for x in topics.waiting_topics(cast.round)}
    assert set(votes_db.values()) == {0}
    with pytest.raises(Conflict) as err:
        topics.reorder_tie(cast.round, t[1].id, "up")  # already first
    assert err.value.code == "not_tied"


def test_phase_advance_is_one_step_and_replay_is_refused(make_round, now):
    cast = make_round()
    with pytest.raises(WrongPhase):
        rounds.advance_phase(cast.round, "discuss", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    with pytest.raises(WrongPhase):
        rounds.advance_phase(cast.round, "vote", now=now)
