"""The dashboard collects what each format contributes: next dates, open invitations, to-dos.

Features register a provider in init_app: `registry.dashboard_part(name, fn)` where
fn(user, now) -> DashboardPart. The dashboard stays ignorant of the formats, and a new format
appears on it without changing this file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from peerlab.accounts.models import User
from peerlab.core import joining, registry


@dataclass(frozen=True)
class DateItem:
    title: str
    starts_at: datetime
    url: str
    format_label: str
    ics_url: str | None = None
    # kind and id of the date (as for the calendar): the shell asks core.joining with them
    kind: str = ""
    subject_id: int | None = None
    join_url: str | None = None  # filled by `collect`: "Jetzt teilnehmen" while joinable


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    due: datetime | None = None
    label: str = ""
    done_url: str | None = None  # POST here (field "erledigt") ticks the to-do off
    # `due` is a whole day (its date as written: shown as the day, without a time)
    all_day: bool = False


@dataclass
class DashboardPart:
    dates: list[DateItem] = field(default_factory=list)
    invitations: list[TodoItem] = field(default_factory=list)
    todos: list[TodoItem] = field(default_factory=list)
    # more dates than DATES_SHOWN exist (a provider may stop reading after DATES_SHOWN + 1)
    more_dates: bool = False


Provider = Callable[[User, datetime], DashboardPart]

# The dashboard shows the next dates only: a person with hundreds of dates gets a page (and a
# cost per request) of the same size as anyone else; the calendar feed carries them all.
# Providers with many dates read only their first DATES_SHOWN + 1 and set `more_dates`.
DATES_SHOWN = 20


def collect(user: User, now: datetime) -> DashboardPart:
    merged = DashboardPart()
    for provider in registry.current().items("dashboard_parts").values():
        part = provider(user, now)
        merged.dates.extend(part.dates)
        merged.invitations.extend(part.invitations)
        merged.todos.extend(part.todos)
        merged.more_dates = merged.more_dates or part.more_dates
    merged.dates.sort(key=lambda item: item.starts_at)
    merged.more_dates = merged.more_dates or len(merged.dates) > DATES_SHOWN
    merged.dates = [_with_join_url(item, user, now) for item in merged.dates[:DATES_SHOWN]]
    merged.todos.sort(key=lambda item: (item.due is None, item.due or now))
    return merged


def _with_join_url(item: DateItem, user: User, now: datetime) -> DateItem:
    if not item.kind or not joining.may_open_soon(item.starts_at, now):
        return item  # later dates cost no lookup
    return replace(item, join_url=joining.join_url(item.kind, item.subject_id, user, now))
