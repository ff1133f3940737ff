"""Registry of calendar sources: each format says which dates exist and who may see them.

A format registers one object per kind of date (`"lean_coffee.round"`) in its init_app:
`registry.calendar_source(source)`; the sources live on the app (core.registry), and a source
missing one of the methods below fails at startup. The calendar package asks
it for the event (downloads, invitations), for the access decision (`can_view`, the format's own
access function) and for the dates of one user (the personal feed). A source may also offer
series (`series_events` / `can_view_series`), which get their own feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from peerlab.core import registry
from peerlab.core.errors import NotFound

if TYPE_CHECKING:
    from peerlab.accounts.models import User
    from peerlab.ical.model import CalEvent


@runtime_checkable
class CalendarSource(Protocol):
    kind: str  # "lean_coffee.round"

    def event(self, subject_id: int) -> CalEvent | None: ...  # None if unknown/deleted

    def can_view(self, subject_id: int, user: User) -> bool: ...  # the feature's access function

    def events_for(self, user: User, now: datetime) -> list[CalEvent]: ...  # the personal feed


@runtime_checkable
class BatchSource(Protocol):
    """Optional hook: many dates in one query (the dashboard and the Kalender page list the
    open invitations of a person; without it each date is asked for on its own)."""

    def events(self, subject_ids: list[int]) -> dict[int, CalEvent]: ...  # unknown ids left out


@runtime_checkable
class SeriesSource(Protocol):
    """Optional hook: a source whose dates form series, each with its own feed.

    `series_kind` names the series ("circles.circle"); the series feed lives under
    /kalender/reihe/<series_kind>/<series_id>/<token>.ics with a token of its own per person and
    series (never the personal feed token: a shared series link must not open the whole feed).
    """

    series_kind: str

    def series_title(self, series_id: int) -> str | None: ...

    def series_events(self, series_id: int, user: User, now: datetime) -> list[CalEvent]: ...

    def can_view_series(self, series_id: int, user: User) -> bool: ...


def _sources() -> dict[str, CalendarSource]:
    return dict(registry.current().items("calendar_sources"))


def get(kind: str) -> CalendarSource:
    """The source for `kind`; NotFound when none is registered."""
    source = _sources().get(kind)
    if source is None:
        raise NotFound()
    return source


def all_sources() -> list[CalendarSource]:
    return list(_sources().values())


def series_source(series_kind: str) -> SeriesSource:
    for source in _sources().values():
        if isinstance(source, SeriesSource) and source.series_kind == series_kind:
            return source
    raise NotFound()
