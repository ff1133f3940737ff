"""Due items and periodic processors: each applied once, each isolated from the others."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.core import due
from peerlab.core.timebox import Timebox
from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.pg_app import postgres_app
from tests.support.registry import patch_slot


@pytest.fixture
def only_processors(monkeypatch):
    """Replace the registered processors for one test; restored afterwards even on failure."""

    def install(**fns):
        monkeypatch.setattr(due, "processors", lambda: dict(fns))

    return install


@pytest.fixture
def kind(app, monkeypatch):
    """Register a due-item kind in the test's app for one test only."""

    def register(name, handler, **options):
        patch_slot(monkeypatch, app, "due_kinds", name, due.Kind(handler, **options))

    return register


def _raise(at):
    raise RuntimeError("x")


def test_run_due_isolates_failures(app, now, only_processors):
    seen = []
    only_processors(a=_raise, b=lambda at: seen.append(at) or 1)
    assert due.run_due(now) == {"a": -1, "b": 1}
    assert seen == [now]


class TwoJobs:
    """A test feature with a failing and a working processor."""

    def __init__(self) -> None:
        self.seen: list = []

    def init_app(self, app, registry) -> None:
        due.register("test.a", lambda at: (_ for _ in ()).throw(RuntimeError("x")))
        due.register("test.b", lambda at: self.seen.append(at) or 1)


def test_a_features_failing_processor_does_not_stop_anothers(tmp_path):
    feature = TwoJobs()
    app = make_app(tmp_path, features=(feature,))
    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        results = due.run_due(now)
    assert results["test.a"] == -1
    assert results["test.b"] == 1
    assert feature.seen == [now]


def test_failing_processor_backs_off_instead_of_failing_every_tick(app, clock, only_processors):
    calls = []

    def broken(at):
        calls.append(at)
        raise RuntimeError("down")

    only_processors(broken=broken)
    start = clock.now()
    due.run_due(start)
    due.run_due(start + timedelta(seconds=2))
    due.run_due(start + timedelta(seconds=4))
    assert calls == [start]
    due.run_due(start + due.retry_delay(1))
    assert len(calls) == 2


def test_processor_leftovers_do_not_ride_on_the_next_commit(app, now, only_processors):
    def sloppy(at):
        db.session.add(Timebox(kind="test.leftover", subject_id=1, status="idle"))
        db.session.flush()
        return 0

    def committing(at):
        db.session.commit()
        return 0

    only_processors(sloppy=sloppy, committing=committing)
    due.run_due(now)
    count = select(func.count()).select_from(Timebox).where(Timebox.kind == "test.leftover")
    assert db.session.scalar(count) == 0


def test_scheduler_tick_runs_registered_processors(app):
    from peerlab import scheduler

    results = scheduler.tick(app)
    assert "mail.send" in results and "core.due_items" in results
    assert all(v >= 0 for v in results.values())


def test_item_is_applied_when_due_and_only_once(app, now, kind):
    applied = []
    kind("test.once", lambda item, at: applied.append(item.payload["n"]))
    due.schedule("test.once", due_at=now + timedelta(minutes=5), now=now, payload={"n": 1})
    db.session.commit()
    assert due.apply_due_items(now) == 0
    assert due.apply_due_items(now + timedelta(minutes=5)) == 1
    assert due.apply_due_items(now + timedelta(minutes=6)) == 0
    assert applied == [1]


def test_a_runner_that_listed_the_item_too_late_does_not_apply_it_again(app, now, kind):
    applied = []
    kind("test.once", lambda item, at: applied.append(item.id))
    item = due.schedule("test.once", due_at=now, now=now)
    db.session.commit()
    # Both runners listed the item; the first applies it, the second's claim finds it done.
    assert due.apply_one(item.id, now) is True
    assert due.apply_one(item.id, now + timedelta(seconds=2)) is False
    assert applied == [item.id]


def _race(app, runners: int, monkeypatch) -> tuple[list, list]:
    """`runners` threads apply due items at the same moment; each item's handler is slow."""
    applied = []

    def slow(item, at):
        applied.append(item.id)
        time.sleep(0.3)  # the other runners list the item while this one holds it

    patch_slot(monkeypatch, app, "due_kinds", "test.race", due.Kind(slow))
    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        item_id = due.schedule("test.race", due_at=now, now=now).id
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(runners)
    results, errors = [], []

    def runner():
        try:
            with app.app_context():
                barrier.wait()
                results.append(due.apply_due_items(now))
                db.session.remove()
        except Exception as err:  # surfaced below: a thread's exception is lost otherwise
            errors.append(err)

    threads = [threading.Thread(target=runner) for _ in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert applied == [item_id]
    return applied, results


def test_two_racing_runners_apply_an_item_once(app, now, monkeypatch):
    _, results = _race(app, 2, monkeypatch)
    assert sorted(results) == [0, 1]


@pytest.mark.postgres
def test_racing_runners_apply_an_item_once_on_postgres(tmp_path, monkeypatch):
    with postgres_app(tmp_path, "peerlab_due") as pg:
        _, results = _race(pg, 3, monkeypatch)
    assert sorted(results) == [0, 0, 1]


def test_failing_item_is_retried_later_and_others_go_on(app, now, kind):
    applied, attempts = [], []

    def flaky(item, at):
        attempts.append(at)
        if len(attempts) < 3:
            raise ValueError("not yet")
        applied.append(item.id)

    kind("test.flaky", flaky)
    kind("test.fine", lambda item, at: applied.append(item.id))
    bad = due.schedule("test.flaky", due_at=now, now=now)
    good = due.schedule("test.fine", due_at=now, now=now)
    db.session.commit()
    assert due.apply_due_items(now) == 1
    assert applied == [good.id]
    db.session.refresh(bad)
    assert bad.attempts == 1 and bad.last_error == "ValueError: not yet"
    assert bad.due_at == now + due.retry_delay(1)
    assert due.apply_due_items(now + timedelta(seconds=2)) == 0  # not before the delay
    at = bad.due_at
    assert due.apply_due_items(at) == 0
    db.session.refresh(bad)
    assert due.apply_due_items(bad.due_at) == 1
    db.session.refresh(bad)
    assert applied == [good.id, bad.id] and bad.done_at is not None and bad.attempts == 2


def test_item_fails_for_good_after_max_attempts(app, now, kind):
    calls = []
    kind("test.broken", lambda item, at: calls.append(at) or 1 / 0, max_attempts=3)
    item = due.schedule("test.broken", due_at=now, now=now)
    db.session.commit()
    at = now
    for _ in range(6):
        due.apply_due_items(at)
        at += timedelta(hours=2)
    db.session.refresh(item)
    assert len(calls) == 3
    assert item.failed_at is not None and item.done_at is None and item.attempts == 3
    assert "ZeroDivisionError" in item.last_error


def test_items_of_unknown_kinds_wait(app, now):
    item = due.schedule("test.nobody", due_at=now, now=now)
    db.session.commit()
    assert due.apply_due_items(now) == 0
    assert due.apply_one(item.id, now) is False
    db.session.refresh(item)
    assert item.done_at is None and item.attempts == 0
