"""A circle-like weekly series (12 meetings, members only) as a test CalendarSource."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerlab.ical.model import CalEvent

BERLIN = ZoneInfo("Europe/Berlin")
SERIES_START = datetime(2026, 3, 3, 10, 0, tzinfo=BERLIN)


@dataclass
class FakeCircle:
    id: int
    title: str
    starts_at: datetime
    members: set[int] = field(default_factory=set)
    confidential: bool = False
    count: int = 12
    overrides: tuple[CalEvent, ...] = ()
    exdates: tuple[datetime, ...] = ()
    video: str = "https://video.example/raum-7"


class CircleSource:
    """Weekly meetings of a circle (12 times), visible to its members only."""

    kind = "testcircle.meeting"
    series_kind = "testcircle.circle"

    def __init__(self) -> None:
        self.circles: dict[int, FakeCircle] = {}

    def add(self, circle: FakeCircle) -> FakeCircle:
        self.circles[circle.id] = circle
        return circle

    def event(self, subject_id: int) -> CalEvent | None:
        circle = self.circles.get(subject_id)
        if circle is None:
            return None
        uid = f"testcircle-{circle.id}@peerlab.localhost"
        return CalEvent(
            uid=uid,
            summary=circle.title,
            starts_at=circle.starts_at,
            ends_at=circle.starts_at + timedelta(hours=1),
            description="Working-Out-Loud-Circle",
            url=f"https://peerlab.example/circles/{circle.id}",
            location=circle.video,
            rrule={"FREQ": "WEEKLY", "COUNT": circle.count},
            exdates=circle.exdates,
            overrides=tuple(replace(o, uid=uid) for o in circle.overrides),
            confidential=circle.confidential,
        )

    def can_view(self, subject_id: int, user) -> bool:
        circle = self.circles.get(subject_id)
        return circle is not None and user.id in circle.members

    def events_for(self, user, now: datetime) -> list[CalEvent]:
        return [self.event(c.id) for c in self.circles.values() if user.id in c.members]

    # series hook
    def series_title(self, series_id: int) -> str | None:
        circle = self.circles.get(series_id)
        return circle.title if circle else None

    def series_events(self, series_id: int, user, now: datetime) -> list[CalEvent]:
        return [self.event(series_id)] if series_id in self.circles else []

    def can_view_series(self, series_id: int, user) -> bool:
        return self.can_view(series_id, user)


@dataclass
class CircleFeature:
    """A test feature whose only contribution is the circle calendar source."""

    source: CircleSource

    def init_app(self, app, registry) -> None:
        registry.calendar_source(self.source)


@pytest.fixture
def circles() -> CircleSource:
    """A test source of weekly circle meetings, registered in this test's app only."""
    return CircleSource()


@pytest.fixture
def app_features(circles):
    return (CircleFeature(circles),)
