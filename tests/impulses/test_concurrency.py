"""10 simultaneous registrations for 1 place: exactly 1 confirmed and 9 waiting in order of
arrival, on SQLite and on PostgreSQL (threads, each with its own connection)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Registration
from tests.impulses.conftest import make_series, quick_user
from tests.support.pg_app import postgres_app


def _race(app) -> None:
    from peerlab.accounts.models import User
    from peerlab.impulses.service import registrations

    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        orga = quick_user(now, "organizer", "Olga")
        made = make_series(now, orga, capacity=1)
        impulse_id = made.impulses[0].id
        people = [quick_user(now, name=f"P{n}").id for n in range(10)]
        db.session.commit()

    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def register(user_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                now = app.extensions["peerlab.clock"].now()
                impulse = db.session.get(Impulse, impulse_id)
                registrations.register(impulse, db.session.get(User, user_id), now=now)
                db.session.commit()
                db.session.remove()
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=register, args=(uid,)) for uid in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors

    with app.app_context():
        rows = db.session.scalars(
            select(Registration)
            .where(Registration.impulse_id == impulse_id)
            .order_by(Registration.position)
        ).all()
        assert len(rows) == 10
        assert [r.status for r in rows] == ["confirmed"] + ["waiting"] * 9
        assert [r.position for r in rows] == list(range(1, 11))
        assert db.session.get(Impulse, impulse_id).confirmed_count == 1
        # in order of arrival: the waiting list is ordered by when each got the lock
        created = [r.id for r in rows]
        assert created == sorted(created)
        db.session.remove()


def test_ten_at_once_on_sqlite(app):
    _race(app)


@pytest.mark.postgres
def test_ten_at_once_on_postgres(tmp_path):
    with postgres_app(tmp_path, prefix="peerlab_imp") as app:
        _race(app)
