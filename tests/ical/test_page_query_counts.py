"""The dashboard, the Kalender page and the personal feed cost the same number of SQL
statements with 3 and with 15 Lean Coffee rounds (each with an open invitation): dates,
sequences, dropped occurrences and invitations are read for all at once.

Circles and impulses take part with one date each; their sources read each date on its own
(one query per circle or impulse), so they are not grown here (see docs/benchmark.md)."""

from __future__ import annotations

from datetime import timedelta

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical import service
from peerlab.lean_coffee import calendar_source
from peerlab.lean_coffee.service import rounds
from tests.impulses.conftest import make_series, quick_user
from tests.lean_coffee.test_query_counts import counting

PAGES = ("/", "/kalender/", "feed")


def add_rounds(user_id: int, now, count: int) -> None:
    for n in range(count):
        other = quick_user(now, "organizer", f"Orga {n}")
        rnd = rounds.create_round(
            rounds.RoundSettings(title=f"Runde {n}", starts_at=now + timedelta(days=2, hours=n)),
            creator=other,
            invitees=[db.session.get(User, user_id)],
            now=now,
        )
        calendar_source.invite_all(rnd, organizer=other, now=now)
    db.session.commit()


def statements(http, token: str) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        path = f"/kalender/feed/{token}.ics" if page == "feed" else page
        db.session.remove()
        with counting() as seen:
            response = http.get(path)
        assert response.status_code == 200, path
        counts[page] = len(seen)
    return counts


def test_main_pages_cost_the_same_with_few_and_many_dates(app, now, make_user, login):
    from peerlab.circles.service import circles
    from peerlab.impulses.service import registrations
    from tests.circles.conftest import actor, settings_from

    uta = make_user("member", name="Uta")
    uta_id = uta.id
    http = app.test_client()
    login(http, uta)
    token = service.regenerate_feed_token(uta, now)
    orga = quick_user(now, "organizer", "Olga")
    circle = circles.create_circle(settings_from(now, invitees=(uta_id,)), creator=orga, now=now)
    circles.answer_invitation(circle.id, actor(db.session.get(User, uta_id)), accept=True, now=now)
    series = make_series(now, orga, capacity=5, dates=1)
    registrations.register(series.impulses[0], db.session.get(User, uta_id), now=now)
    add_rounds(uta_id, now, 3)
    few = statements(http, token)
    add_rounds(uta_id, now, 12)
    many = statements(http, token)
    assert few == many, (few, many)
    body = http.get(f"/kalender/feed/{token}.ics").data
    assert body.count(b"BEGIN:VEVENT") == 15 + 1 + 1  # rounds, the circle, the impulse
