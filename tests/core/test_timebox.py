"""The shared timebox: deadlines, pause/resume/extend, expiry applied exactly once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.core import due, timebox
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.extensions import db
from tests.support.registry import patch_slot


@pytest.fixture
def box(app):
    b = timebox.create("test.kind", 1)
    db.session.commit()
    return b


def test_start_sets_deadline_from_server_clock(box, now):
    timebox.start(box, 480, now=now)
    assert box.ends_at == now + timedelta(seconds=480)
    snap = timebox.snapshot(box, now=now)
    assert snap["status"] == "running"
    assert snap["remaining_seconds"] == 480
    assert snap["server_now"] == now.isoformat()


def test_pause_keeps_remaining_and_resume_sets_new_deadline(box, now):
    timebox.start(box, 480, now=now)
    timebox.pause(box, now=now + timedelta(seconds=100))
    assert box.status == "paused" and box.remaining_seconds == 380 and box.ends_at is None
    later = now + timedelta(seconds=1000)
    timebox.resume(box, now=later)
    assert box.ends_at == later + timedelta(seconds=380)


def test_extend_running_box_moves_deadline(box, now):
    timebox.start(box, 480, now=now)
    timebox.extend(box, 240, now=now)
    assert box.ends_at == now + timedelta(seconds=720)
    assert box.extensions == 1


def test_extend_expired_box_starts_again(box, now):
    timebox.start(box, 60, now=now)
    db.session.commit()
    timebox.process_expired(now + timedelta(seconds=61))
    db.session.refresh(box)
    timebox.extend(box, 120, now=now + timedelta(seconds=70))
    assert box.status == "running"
    assert box.ends_at == now + timedelta(seconds=190)


def test_pause_when_not_running_is_refused(box, now):
    with pytest.raises(Conflict):
        timebox.pause(box, now=now)


@pytest.mark.parametrize("bad", [0, -5, 10**6, True, "60"])
def test_bad_durations_are_refused(box, now, bad):
    with pytest.raises(InvalidInput):
        timebox.start(box, bad, now=now)


@pytest.fixture
def handlers(app, monkeypatch):
    """Expiry handlers registered in the test's app for one test only."""

    def register(kind, fn):
        patch_slot(monkeypatch, app, "expiry_handlers", kind, fn)

    return register


def test_expiry_handler_runs_once(box, now, handlers):
    calls = []
    handlers("test.kind", lambda b, at: calls.append((b.id, at)))
    timebox.start(box, 30, now=now)
    db.session.commit()
    assert due.run_due(now + timedelta(seconds=29))["core.timebox"] == 0
    assert due.run_due(now + timedelta(seconds=31))["core.timebox"] == 1
    assert due.run_due(now + timedelta(seconds=40))["core.timebox"] == 0
    assert calls == [(box.id, now + timedelta(seconds=31))]
    db.session.refresh(box)
    assert box.status == "expired"


def _item_of(box):
    return db.session.scalar(
        select(due.DueItem).where(
            due.DueItem.kind == timebox.EXPIRY_KIND,
            due.DueItem.payload["timebox_id"].as_integer() == box.id,
        )
    )


def test_failing_handler_neither_blocks_other_boxes_nor_runs_every_tick(now, handlers):
    broken_calls, calls = [], []

    def broken(b, at):
        broken_calls.append(at)
        db.session.add(timebox.Timebox(kind="test.leftover", subject_id=9, status="idle"))
        raise RuntimeError("boom")

    handlers("test.broken", broken)
    handlers("test.kind", lambda b, at: calls.append(b.id))
    first = timebox.create("test.broken", 1)  # the failing box comes first
    second = timebox.create("test.kind", 2)
    for b in (first, second):
        timebox.start(b, 30, now=now)
    db.session.commit()

    at = now + timedelta(seconds=31)
    due.run_due(at)
    assert calls == [second.id], "the other box expires although one handler fails"
    item = _item_of(first)
    assert item.attempts == 1 and "boom" in item.last_error
    assert item.done_at is None and item.failed_at is None
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(timebox.Timebox)
            .where(timebox.Timebox.kind == "test.leftover")
        )
        == 0
    ), "the failed handler's own writes are rolled back"

    for tick in range(1, 4):  # the job runs every 2 s: no retry before the delay
        due.run_due(at + timedelta(seconds=2 * tick))
    assert len(broken_calls) == 1

    for _ in range(due.DEFAULT_MAX_ATTEMPTS + 2):
        at = at + due.retry_delay(due.DEFAULT_MAX_ATTEMPTS)
        due.run_due(at)
    assert len(broken_calls) == due.DEFAULT_MAX_ATTEMPTS, "given up after N attempts"
    db.session.refresh(item)
    assert item.failed_at is not None and item.done_at is None
    assert calls == [second.id]


def test_expiry_retry_does_not_fire_for_a_restarted_box(box, now, handlers):
    calls = []
    fail = {"on": True}

    def flaky(b, at):
        if fail["on"]:
            raise RuntimeError("once")
        calls.append(b.id)

    handlers("test.kind", flaky)
    timebox.start(box, 30, now=now)
    db.session.commit()
    due.run_due(now + timedelta(seconds=31))
    timebox.start(box, 300, now=now + timedelta(seconds=32))  # facilitator restarts the timer
    db.session.commit()
    fail["on"] = False
    due.run_due(now + timedelta(seconds=32) + due.retry_delay(1))
    assert calls == [], "the retry of an old expiry does not end the new countdown"
    db.session.refresh(box)
    assert box.status == "running"
