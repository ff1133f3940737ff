"""The dashboard, the Kalender page and the personal feed cost the same number of SQL
statements with few and with many dates of every kind: Lean Coffee rounds (3 → 15, each with
an open invitation), circles (1 → 2, one with a skipped and a moved meeting, and 1 → 2 open
invitations), impulse dates (1 → 6 in two series) and peer-coaching sessions (1 → 4). Dates,
sequences, dropped occurrences and invitations are read for all at once."""

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
    uta = make_user("member", name="Uta")
    uta_id = uta.id
    http = app.test_client()
    login(http, uta)
    token = service.regenerate_feed_token(uta, now)
    orga = quick_user(now, "organizer", "Olga")
    orga_id = orga.id
    add_circle(orga_id, uta_id, now, accept=True)
    add_circle(orga_id, uta_id, now, accept=False)  # an open invitation
    add_impulses(orga_id, uta_id, now, 1)
    add_sessions(orga_id, uta_id, now, 1)
    add_rounds(uta_id, now, 3)
    few = statements(http, token)
    add_rounds(uta_id, now, 12)
    changed = add_circle(orga_id, uta_id, now, accept=True)
    add_circle(orga_id, uta_id, now, accept=False)
    change_dates(changed, orga_id, now)
    add_impulses(orga_id, uta_id, now, 5)
    add_sessions(orga_id, uta_id, now, 3)
    db.session.commit()
    many = statements(http, token)
    assert few == many, (few, many)
    body = http.get(f"/kalender/feed/{token}.ics").data
    # rounds, two circles (one with its moved meeting), impulses, sessions
    assert body.count(b"BEGIN:VEVENT") == 15 + 2 + 1 + 6 + 4


def add_circle(orga_id: int, uta_id: int, now, *, accept: bool) -> int:
    from peerlab.circles.service import circles
    from tests.circles.conftest import actor, settings_from

    circle = circles.create_circle(
        settings_from(now, invitees=(uta_id,)), creator=db.session.get(User, orga_id), now=now
    )
    if accept:
        uta = actor(db.session.get(User, uta_id))
        circles.answer_invitation(circle.id, uta, accept=True, now=now)
    db.session.commit()
    return circle.id


def change_dates(circle_id: int, orga_id: int, now) -> None:
    from peerlab.circles import schedule
    from peerlab.circles.models import Circle
    from peerlab.circles.service import schedule_changes
    from tests.circles.conftest import BERLIN, actor, settings_from

    orga = actor(db.session.get(User, orga_id))
    schedule_changes.skip(circle_id, orga, 2, append=True, now=now)
    fourth = schedule.by_slot(db.session.get(Circle, circle_id), 4).starts_at
    day = fourth.astimezone(BERLIN).date() + timedelta(days=1)
    schedule_changes.move(circle_id, orga, 4, day, settings_from(now).local_time, now=now)


def add_impulses(orga_id: int, uta_id: int, now, count: int) -> None:
    from peerlab.impulses.service import registrations

    series = make_series(now, db.session.get(User, orga_id), capacity=5, dates=count)
    for impulse in series.impulses:
        registrations.register(impulse, db.session.get(User, uta_id), now=now)
    db.session.commit()


def add_sessions(orga_id: int, uta_id: int, now, count: int) -> None:
    from peerlab.coaching.service import setup

    for n in range(count):
        people = [quick_user(now, name=f"Beratung {n}-{i}") for i in range(4)]
        setup.create_session(
            setup.SessionSetup(
                title=f"Fall {n}",
                starts_at=now + timedelta(days=3, hours=n),
                case_giver=people[0].id,
                moderator=people[1].id,
                advisers=(uta_id, people[2].id, people[3].id),
            ),
            creator=db.session.get(User, orga_id),
            now=now,
        )
    db.session.commit()
