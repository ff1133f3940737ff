"""When a circle meets: twelve weekly meetings at the same local time in the circle's zone.

Pure functions of the circle's settings and `now`; nothing here reads the clock. Times are
computed per date in the circle's zone, so a meeting stays at 18:00 local time across a
daylight-saving change (its UTC time moves instead).

Changed dates (models_schedule.ScheduleChange) shape the plan: a date skipped with "an das
Ende anhängen" adds one weekly slot at the end, one skipped with "nur ausfallen lassen" just
goes, a moved one keeps its slot at another time. Meetings are numbered in order of the dates
that remain, so the focus follows the meeting number, not the calendar week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peerlab.circles.models import MEETING_MINUTES, MEETINGS


@dataclass(frozen=True)
class Meeting:
    number: int  # 1–12 (1–11 after "nur ausfallen lassen")
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    slot: int = 0  # 1-based position in the weekly rule (stays when the date is moved)
    occurrence: datetime | None = None  # the rule's start for the slot = RECURRENCE-ID
    moved: bool = False


@dataclass(frozen=True)
class Change:
    occurrence: datetime  # aware, UTC
    kind: str  # "append" | "drop" | "move"
    moved_to: datetime | None = None


def first_day(start_date: date, weekday: int) -> date:
    """The first date on or after `start_date` that falls on `weekday` (Monday = 0)."""
    return start_date + timedelta(days=(weekday - start_date.weekday()) % 7)


def local_start(day: date, at: time, zone: str) -> datetime:
    """`day` at wall-clock time `at` in `zone`, as an aware datetime in UTC."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def slots(start_date: date, weekday: int, at: time, zone: str, count: int) -> list[datetime]:
    """The starts (UTC) the weekly rule gives for `count` slots."""
    first = first_day(start_date, weekday)
    return [local_start(first + timedelta(weeks=i), at, zone) for i in range(count)]


def meetings(
    start_date: date, weekday: int, at: time, zone: str, changes: Iterable[Change] = ()
) -> list[Meeting]:
    by_occurrence = {c.occurrence.astimezone(UTC): c for c in changes}
    count = MEETINGS + sum(1 for c in by_occurrence.values() if c.kind == "append")
    planned = []
    for index, occurrence in enumerate(slots(start_date, weekday, at, zone, count)):
        change = by_occurrence.get(occurrence)
        if change is not None and change.kind in ("append", "drop"):
            continue
        moved = change is not None and change.kind == "move" and change.moved_to is not None
        starts = change.moved_to.astimezone(UTC) if moved else occurrence
        planned.append((starts, index + 1, occurrence, moved))
    planned.sort()
    return [
        Meeting(n, starts, starts + timedelta(minutes=MEETING_MINUTES), slot, occurrence, moved)
        for n, (starts, slot, occurrence, moved) in enumerate(planned, start=1)
    ]


def changes_of(circle) -> list[Change]:
    from sqlalchemy import select

    from peerlab.circles.models_schedule import ScheduleChange
    from peerlab.extensions import db

    if circle.id is None:
        return []
    rows = db.session.scalars(
        select(ScheduleChange)
        .where(ScheduleChange.circle_id == circle.id)
        .order_by(ScheduleChange.id)
    )
    return [Change(r.occurrence, r.kind, r.moved_to) for r in rows]


def changes_of_many(circle_ids: Iterable[int]) -> dict[int, list[Change]]:
    """`changes_of` for many circles in one query (feeds, invitation lists)."""
    from sqlalchemy import select

    from peerlab.circles.models_schedule import ScheduleChange
    from peerlab.extensions import db

    found: dict[int, list[Change]] = {i: [] for i in circle_ids}
    if not found:
        return found
    rows = db.session.scalars(
        select(ScheduleChange)
        .where(ScheduleChange.circle_id.in_(sorted(found)))
        .order_by(ScheduleChange.id)
    )
    for r in rows:
        found[r.circle_id].append(Change(r.occurrence, r.kind, r.moved_to))
    return found


def archived_ids(circles, now: datetime) -> set[int]:
    """The circles whose meetings are all over, or that were ended (`closing.is_archive`),
    with one query for all of them."""
    changes = changes_of_many(c.id for c in circles)
    return {
        c.id
        for c in circles
        if c.ended_at is not None
        or all(
            m.ends_at <= now
            for m in meetings(c.start_date, c.weekday, c.local_time, c.zone, changes[c.id])
        )
    }


def slot_count(changes: Iterable[Change]) -> int:
    return MEETINGS + sum(1 for c in changes if c.kind == "append")


def of(circle) -> list[Meeting]:
    return meetings(
        circle.start_date, circle.weekday, circle.local_time, circle.zone, changes_of(circle)
    )


def current(circle, now: datetime) -> Meeting | None:
    """The meeting the circle is working towards or holding: the first that has not ended.
    None once all twelve are over (or the circle was ended)."""
    if circle.ended_at is not None:
        return None
    return next((m for m in of(circle) if m.ends_at > now), None)


def past(circle, now: datetime) -> list[Meeting]:
    return [m for m in of(circle) if m.ends_at <= now]


def meeting(circle, number: int) -> Meeting | None:
    plan = of(circle)
    if not 1 <= number <= len(plan):
        return None
    return plan[number - 1]


def by_slot(circle, slot: int) -> Meeting | None:
    return next((m for m in of(circle) if m.slot == slot), None)
