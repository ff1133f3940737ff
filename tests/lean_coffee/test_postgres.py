"""The vote budget and dot rules on PostgreSQL: ON CONFLICT paths and concurrent casts from
several connections (row lock on the round, conditional update on the counter)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from peerlab.core.errors import DomainError
from peerlab.extensions import db
from tests.support.pg_app import postgres_app


@pytest.fixture
def pg_app(tmp_path):
    with postgres_app(tmp_path, prefix="peerlab_lc") as app:
        yield app


@pytest.mark.postgres
@pytest.mark.parametrize(("multiple_dots", "expected_ok"), [(True, 3), (False, 1)])
def test_budget_and_dot_rules_hold_on_postgres_under_concurrency(
    pg_app, multiple_dots, expected_ok
):
    from peerlab.lean_coffee.access import require
    from peerlab.lean_coffee.service import rounds, topics, votes
    from tests.lean_coffee.conftest import participant_of, quick_user

    with pg_app.app_context():
        now = pg_app.extensions["peerlab.clock"].now()
        orga, ben = quick_user(now, "organizer", "Olga"), quick_user(now, name="Ben")
        rnd = rounds.create_round(
            rounds.RoundSettings(
                title="PG",
                starts_at=now + timedelta(hours=1),
                vote_budget=3,
                multiple_dots=multiple_dots,
            ),
            creator=orga,
            invitees=[ben],
            now=now,
        )
        topic = topics.add_topic(rnd, participant_of(rnd, orga), "T", now=now)
        rounds.advance_phase(rnd, "vote", now=now)
        db.session.commit()
        ids = (rnd.id, topic.id, ben.id)

    results: list[str] = []
    barrier = threading.Barrier(6)

    def fire():
        from peerlab.accounts.actors import Actor
        from peerlab.accounts.models import User

        with pg_app.app_context():
            barrier.wait()
            for _ in range(2):
                try:
                    rnd = rounds.lock(ids[0])
                    user = db.session.get(User, ids[2])
                    me = require(rnd, Actor("user", user.id, "Ben", user=user))
                    votes.cast_vote(rnd, me, ids[1])
                    db.session.commit()
                    results.append("ok")
                except DomainError as err:
                    db.session.rollback()
                    results.append(err.code)
            db.session.remove()

    threads = [threading.Thread(target=fire) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results.count("ok") == expected_ok and len(results) == 12
    assert set(results) == {"ok", "budget_exhausted" if multiple_dots else "already_voted"}
    with pg_app.app_context():
        from peerlab.lean_coffee.models import Round

        rnd = db.session.get(Round, ids[0])
        assert votes.totals(rnd) == {ids[1]: expected_ok}
