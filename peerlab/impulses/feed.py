"""Series feeds of impulse series.

The calendar source for impulses also offers series (`SeriesSource`): each series has a feed
with the platform's per-person-and-series token (/kalender/reihe/impulses.series/<id>/<token>.ics),
which is the way to subscribe to a network-only series. A public series has in addition a feed
without any token (/impulse/<id>/kalender.ics) for visitors and team calendars.

The video-room link (LOCATION) is only in the events of people with a confirmed place and of
the organizers; a public feed never carries it (visitors see titles, dates, speakers and
abstracts only, as on the public page).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical.model import CalEvent
from peerlab.impulses import access
from peerlab.impulses.calendar_source import ImpulseCalendar
from peerlab.impulses.models import Impulse, Registration, Series

SERIES_KIND = "impulses.series"
HISTORY = timedelta(days=90)


def _impulse_ids(series_id: int, now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(Impulse.id)
            .where(
                Impulse.series_id == series_id,
                Impulse.cancelled_at.is_(None),
                Impulse.starts_at >= now - HISTORY,
            )
            .order_by(Impulse.starts_at)
        )
    )


def _confirmed_ids(series_id: int, user: User) -> set[int]:
    return set(
        db.session.scalars(
            select(Registration.impulse_id)
            .join(Impulse, Impulse.id == Registration.impulse_id)
            .where(
                Impulse.series_id == series_id,
                Registration.user_id == user.id,
                Registration.status == "confirmed",
            )
        )
    )


class ImpulseSeriesCalendar(ImpulseCalendar):
    """The impulse calendar source with series feeds."""

    series_kind = SERIES_KIND

    def series_title(self, series_id: int) -> str | None:
        series = db.session.get(Series, series_id)
        return series.title if series is not None else None

    def can_view_series(self, series_id: int, user: User) -> bool:
        series = db.session.get(Series, series_id)
        return series is not None and access.may_view(series, user)

    def series_events(self, series_id: int, user: User, now: datetime) -> list[CalEvent]:
        series = db.session.get(Series, series_id)
        if series is None:
            return []
        mine = None if access.organizes(series, user) else _confirmed_ids(series_id, user)
        out = []
        for impulse_id, event in self.events(_impulse_ids(series_id, now)).items():
            if mine is not None and impulse_id not in mine:
                event = replace(event, location=None)
            out.append(event)
        return out


def public_events(series: Series, now: datetime) -> list[CalEvent]:
    """The dates of a public series for everyone: no video link."""
    events = ImpulseSeriesCalendar().events(_impulse_ids(series.id, now))
    return [replace(event, location=None) for event in events.values()]
