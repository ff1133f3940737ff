"""Dates of a series: one by one or from a rule, in local time across daylight-saving changes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from peerlab.core.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
MAX_DATES = 52


@dataclass(frozen=True)
class Rule:
    """ "Every other Thursday 08:00, 6 dates" (weekly, interval 2) or "the 2nd Tuesday of each
    month" (monthly, nth 2; nth -1 is the last). `first` is the first day the rule may use;
    the weekday of a monthly rule is that of `first`. Days in `skip` are left out and do not
    count: the rule goes on until it has `count` dates."""

    first: date
    at: time
    count: int
    frequency: str = "weekly"  # weekly | monthly
    interval: int = 1  # weeks between two dates (weekly)
    nth: int = 1  # which weekday of the month (monthly): 1..4 or -1
    skip: frozenset[date] = field(default_factory=frozenset)
    zone: ZoneInfo = BERLIN


def local_to_utc(day: date, at: time, zone: ZoneInfo = BERLIN) -> datetime:
    """A wall-clock time on a day in `zone` as UTC. A time that does not exist (the hour
    skipped in spring) is refused; an ambiguous one (autumn) takes the first occurrence."""
    local = datetime.combine(day, at, tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InvalidInput(_("Diese Uhrzeit gibt es an diesem Tag wegen der Zeitumstellung nicht."))
    return local.astimezone(UTC)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    days = [
        d
        for d in (date(year, month, n) for n in range(1, calendar.monthrange(year, month)[1] + 1))
        if d.weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


def _candidate_days(rule: Rule):
    if rule.frequency == "weekly":
        day = rule.first
        while True:
            yield day
            day += timedelta(weeks=rule.interval)
    else:
        year, month = rule.first.year, rule.first.month
        while True:
            day = _nth_weekday(year, month, rule.first.weekday(), rule.nth)
            if day is not None and day >= rule.first:
                yield day
            month += 1
            if month == 13:
                year, month = year + 1, 1


def expand(rule: Rule) -> list[datetime]:
    """The rule's start times in UTC, each at the same local wall-clock time."""
    if not 1 <= rule.count <= MAX_DATES:
        raise InvalidInput(_("Bitte wählen Sie 1 bis %(max)s Termine.", max=MAX_DATES))
    if rule.frequency not in ("weekly", "monthly"):
        raise InvalidInput(_("Unbekannte Wiederholung."))
    if rule.frequency == "weekly" and not 1 <= rule.interval <= 8:
        raise InvalidInput(_("Bitte wählen Sie einen Abstand von 1 bis 8 Wochen."))
    if rule.frequency == "monthly" and rule.nth not in (1, 2, 3, 4, -1):
        raise InvalidInput(_("Unbekannte Wiederholung."))
    result: list[datetime] = []
    for day in _candidate_days(rule):
        if len(result) == rule.count or day.year > rule.first.year + 5:
            break
        if day in rule.skip:
            continue
        result.append(local_to_utc(day, rule.at, rule.zone))
    return result
