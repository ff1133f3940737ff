"""The series list, a series page (for its organizer and for a registered member), a date's
participant list, the series feed and the public feed cost the same number of SQL statements
with few and with many series, dates and registrations."""

from __future__ import annotations

from datetime import timedelta

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical import service as calendar
from peerlab.impulses.models import Impulse, Series
from peerlab.impulses.service import registrations
from peerlab.impulses.service import series as series_service
from tests.impulses.conftest import make_series, quick_user
from tests.support.queries import page_costs


def add_dates(series_id: int, orga_id: int, now, count: int, offset: int) -> None:
    series_service.add_impulses(
        db.session.get(Series, series_id),
        [
            series_service.ImpulseSettings(
                title=f"Impuls {offset + n + 1}",
                starts_at=now + timedelta(days=60 + offset + n),
                minutes=30,
            )
            for n in range(count)
        ],
        actor=db.session.get(User, orga_id),
        now=now,
    )


def register_everywhere(series_id: int, user_id: int, now) -> None:
    user = db.session.get(User, user_id)
    for impulse in db.session.get(Series, series_id).impulses:
        registrations.register(impulse, user, now=now)


def test_impulse_pages_cost_the_same_with_few_and_many_items(app, now, make_user, login):
    orga, uta = make_user("organizer", name="Olga Orga"), make_user(name="Uta Umfang")
    orga_id, uta_id = orga.id, uta.id
    as_orga, as_uta = app.test_client(), app.test_client()
    login(as_orga, orga)
    login(as_uta, uta)
    series = make_series(now, orga, capacity=3, dates=2, audience="public")
    series_id = series.id
    first_id = series.impulses[0].id
    register_everywhere(series_id, uta_id, now)
    registrations.register(db.session.get(Impulse, first_id), quick_user(now, name="Ben"), now=now)
    token = calendar.regenerate_series_feed_token(
        db.session.get(User, uta_id), "impulses.series", series_id, now
    )
    db.session.commit()
    organizer_pages = [
        "/impulse/",
        f"/impulse/{series_id}",
        f"/impulse/termin/{first_id}/teilnehmende",
    ]
    member_pages = [f"/impulse/{series_id}", "/impulse/"]
    feeds = [
        f"/kalender/reihe/impulses.series/{series_id}/{token}.ics",
        f"/impulse/{series_id}/kalender.ics",
    ]

    def costs() -> list[dict[str, int]]:
        return [
            page_costs(as_orga, organizer_pages),
            page_costs(as_uta, member_pages),
            page_costs(app.test_client(), feeds),
        ]

    few = costs()
    for _ in range(3):
        make_series(now, db.session.get(User, orga_id), dates=3, audience="public")
    add_dates(series_id, orga_id, now, 10, 0)
    register_everywhere(series_id, uta_id, now)
    first = db.session.get(Impulse, first_id)
    for n in range(8):  # three confirmed places, the rest on the waiting list
        registrations.register(first, quick_user(now, name=f"Person {n}"), now=now)
    db.session.commit()
    many = costs()
    assert few == many, (few, many)
    feed = app.test_client().get(feeds[0]).data
    assert feed.count(b"BEGIN:VEVENT") == 12
    listing = as_orga.get(organizer_pages[2]).data.decode()
    assert "Person 7" in listing
