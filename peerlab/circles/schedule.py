"""When a circle meets: twelve weekly meetings at the same local time in the circle's zone.

Pure functions of the circle's settings and `now`; nothing here reads the clock. Times are
computed per date in the circle's zone, so a meeting stays at 18:00 local time across a
daylight-saving change (its UTC time moves instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peerlab.circles.models import MEETING_MINUTES, MEETINGS


@dataclass(frozen=True)
class Meeting:
    number: int  # 1–12
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


def first_day(start_date: date, weekday: int) -> date:
    """The first date on or after `start_date` that falls on `weekday` (Monday = 0)."""
    return start_date + timedelta(days=(weekday - start_date.weekday()) % 7)


def local_start(day: date, at: time, zone: str) -> datetime:
    """`day` at wall-clock time `at` in `zone`, as an aware datetime in UTC."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def meetings(start_date: date, weekday: int, at: time, zone: str) -> list[Meeting]:
    first = first_day(start_date, weekday)
    result = []
    for index in range(MEETINGS):
        starts = local_start(first + timedelta(weeks=index), at, zone)
        result.append(Meeting(index + 1, starts, starts + timedelta(minutes=MEETING_MINUTES)))
    return result


def of(circle) -> list[Meeting]:
    return meetings(circle.start_date, circle.weekday, circle.local_time, circle.zone)


def current(circle, now: datetime) -> Meeting | None:
    """The meeting the circle is working towards or holding: the first that has not ended.
    None once all twelve are over (or the circle was ended)."""
    if circle.ended_at is not None:
        return None
    return next((m for m in of(circle) if m.ends_at > now), None)


def past(circle, now: datetime) -> list[Meeting]:
    return [m for m in of(circle) if m.ends_at <= now]


def meeting(circle, number: int) -> Meeting | None:
    if not 1 <= number <= MEETINGS:
        return None
    return of(circle)[number - 1]
