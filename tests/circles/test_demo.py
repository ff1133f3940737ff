"""The demo circle: running, three meetings of history, dates from the clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.circles import schedule
from peerlab.circles.models import CheckIn, Circle


def test_demo_loads_a_running_circle_with_history(app, clock):
    from peerlab import demo
    from peerlab.extensions import db

    clock.set(clock.now() + timedelta(days=100))  # any date: nothing depends on today
    assert demo.load()
    circle = db.session.scalars(select(Circle)).one()
    now = clock.now()
    current = schedule.current(circle, now)
    assert current.number == 4 and current.starts_at > now
    assert len(schedule.past(circle, now)) == 3
    numbers = set(db.session.scalars(select(CheckIn.meeting_no)))
    assert numbers == {1, 2, 3}
