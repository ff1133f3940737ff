"""Dates from a rule: same local wall-clock time across daylight-saving changes, skipped days,
monthly by weekday; past and overlapping dates refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerlab.core.errors import InvalidInput
from peerlab.impulses.service import schedule, series
from tests.impulses.conftest import make_series

BERLIN = ZoneInfo("Europe/Berlin")


def test_every_other_thursday_keeps_eight_oclock_across_the_autumn_change():
    # 2030-10-17 is a Thursday; summer time ends on 2030-10-27
    starts = schedule.expand(
        schedule.Rule(first=date(2030, 10, 17), at=time(8, 0), count=6, interval=2)
    )
    local = [s.astimezone(BERLIN) for s in starts]
    assert [d.date() for d in local] == [
        date(2030, 10, 17),
        date(2030, 10, 31),
        date(2030, 11, 14),
        date(2030, 11, 28),
        date(2030, 12, 12),
        date(2030, 12, 26),
    ]
    assert all(d.hour == 8 and d.minute == 0 for d in local)
    assert starts[0].hour == 6 and starts[1].hour == 7  # UTC moves, local time stays


def test_spring_change_and_skipped_days_do_not_count():
    starts = schedule.expand(
        schedule.Rule(
            first=date(2031, 3, 20),
            at=time(8, 0),
            count=3,
            interval=1,
            skip=frozenset({date(2031, 3, 27)}),
        )
    )
    local = [s.astimezone(BERLIN) for s in starts]
    assert [d.date() for d in local] == [date(2031, 3, 20), date(2031, 4, 3), date(2031, 4, 10)]
    assert all(d.hour == 8 for d in local)


def test_monthly_second_tuesday_and_last_weekday():
    second = schedule.expand(
        schedule.Rule(first=date(2030, 9, 10), at=time(9, 30), count=3, frequency="monthly", nth=2)
    )
    assert [s.astimezone(BERLIN).date() for s in second] == [
        date(2030, 9, 10),
        date(2030, 10, 8),
        date(2030, 11, 12),
    ]
    assert {s.astimezone(BERLIN).time() for s in second} == {time(9, 30)}
    last = schedule.expand(
        schedule.Rule(first=date(2030, 1, 31), at=time(8), count=2, frequency="monthly", nth=-1)
    )
    assert [s.astimezone(BERLIN).date() for s in last] == [date(2030, 1, 31), date(2030, 2, 28)]


def test_a_time_skipped_by_the_spring_change_is_refused():
    with pytest.raises(InvalidInput):
        schedule.local_to_utc(date(2031, 3, 30), time(2, 30))


@pytest.mark.parametrize("count", [0, 53])
def test_bad_counts_are_refused(count):
    with pytest.raises(InvalidInput):
        schedule.expand(schedule.Rule(first=date(2030, 1, 1), at=time(8), count=count))


def test_past_and_overlapping_dates_are_refused_and_nothing_is_written(app, now, orga):
    from peerlab.extensions import db

    made = make_series(now, orga, dates=1)
    existing = made.impulses[0]
    for bad in (
        [series.ImpulseSettings(title="Alt", starts_at=now - timedelta(minutes=1), minutes=30)],
        [
            series.ImpulseSettings(
                title="Neu", starts_at=now + timedelta(days=20), minutes=30
            ),  # fine, but the next one overlaps the existing date: all or none
            series.ImpulseSettings(
                title="Doppelt", starts_at=existing.starts_at + timedelta(minutes=10), minutes=30
            ),
        ],
    ):
        with pytest.raises(InvalidInput):
            series.add_impulses(made, bad, actor=orga, now=now)
        db.session.rollback()
    assert [i.title for i in made.impulses] == ["Impuls 1"]
    assert now.tzinfo is UTC or now.utcoffset() == timedelta(0)
    assert isinstance(existing.starts_at, datetime)
