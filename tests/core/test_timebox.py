"""The shared timebox: deadlines, pause/resume/extend, expiry applied exactly once."""

from datetime import timedelta

import pytest

from peerlab.core import timebox
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.extensions import db


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


def test_expiry_handler_runs_once(box, now):
    calls = []
    timebox.on_expiry("test.kind")(lambda b, at: calls.append((b.id, at)))
    timebox.start(box, 30, now=now)
    db.session.commit()
    assert timebox.process_expired(now + timedelta(seconds=29)) == 0
    assert timebox.process_expired(now + timedelta(seconds=31)) == 1
    assert timebox.process_expired(now + timedelta(seconds=40)) == 0
    assert calls == [(box.id, now + timedelta(seconds=31))]
    db.session.refresh(box)
    assert box.status == "expired"


def test_failing_handler_rolls_back_the_expiry(box, now):
    def broken(b, at):
        raise RuntimeError("boom")

    timebox.on_expiry("test.kind")(broken)
    timebox.start(box, 30, now=now)
    db.session.commit()
    with pytest.raises(RuntimeError):
        timebox.process_expired(now + timedelta(seconds=31))
    db.session.refresh(box)
    assert box.status == "running", "a failed handler must leave the box due for the next run"
    timebox.on_expiry("test.kind")(lambda b, at: None)
