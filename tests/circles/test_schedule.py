"""Meeting numbers and times from the start date and weekly rhythm, at local time across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from peerlab.circles import schedule
from peerlab.circles.models import Circle


def _circle(**kw) -> Circle:
    base = dict(
        name="c",
        weekday=1,
        local_time=time(18, 0),
        zone="Europe/Berlin",
        start_date=date(2026, 2, 10),
        ended_at=None,
    )
    base.update(kw)
    return Circle(**base)


def test_tuesday_1800_berlin_keeps_local_time_across_the_march_change():
    meetings = schedule.of(_circle())
    assert len(meetings) == 12
    by_day = {m.starts_at.date(): m.starts_at for m in meetings}
    assert by_day[date(2026, 3, 24)] == datetime(2026, 3, 24, 17, 0, tzinfo=UTC)
    assert by_day[date(2026, 3, 31)] == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert all(
        m.starts_at.astimezone(schedule.ZoneInfo("Europe/Berlin")).hour == 18 for m in meetings
    )
    assert [m.number for m in meetings] == list(range(1, 13))


def test_first_meeting_is_the_first_chosen_weekday_from_the_start_date():
    # 2026-02-11 is a Wednesday: the first Tuesday on or after it is the 17th
    meetings = schedule.of(_circle(start_date=date(2026, 2, 11)))
    assert meetings[0].starts_at.date() == date(2026, 2, 17)
    assert meetings[-1].starts_at.date() == date(2026, 2, 17) + timedelta(weeks=11)


def test_current_meeting_moves_on_when_a_meeting_has_ended():
    circle = _circle()
    first = schedule.of(circle)[0]
    assert schedule.current(circle, first.starts_at - timedelta(days=3)).number == 1
    assert schedule.current(circle, first.starts_at + timedelta(minutes=30)).number == 1
    assert schedule.current(circle, first.ends_at).number == 2
    # 29 March 2026 (Sunday of the change): meeting 8 (31 March) is next, seven lie behind
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert schedule.current(circle, now).number == 8
    assert [m.number for m in schedule.past(circle, now)] == [1, 2, 3, 4, 5, 6, 7]
    assert schedule.current(circle, schedule.of(circle)[-1].ends_at) is None
