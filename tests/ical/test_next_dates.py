"""The Kalender page lists my next dates (the next 10, every format, in my time zone), not only
the subscription."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from peerlab.extensions import db
from peerlab.ical import overview
from peerlab.lean_coffee.service import rounds
from tests.ical.circle_source import FakeCircle

NEW_YORK = ZoneInfo("America/New_York")


def _dates(html: str) -> list[str]:
    section = html.split('id="naechste"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<time datetime="([^"]+)"', section)


def test_next_dates_merge_formats_skip_the_past_and_stop_at_ten(
    app, circles, make_user, login, now
):
    user = make_user()
    user.timezone = "America/New_York"
    first = (now - timedelta(weeks=2)).replace(minute=37, second=0, microsecond=0)
    skipped = first + timedelta(weeks=4)
    moved_from = first + timedelta(weeks=5)
    circle = circles.add(
        FakeCircle(7, "Circle Wärmeplanung", first, members={user.id}, exdates=(skipped,))
    )
    base = circles.event(7)
    moved = replace(
        base,
        rrule=None,
        exdates=(),
        overrides=(),
        recurrence_id=moved_from,
        starts_at=moved_from + timedelta(hours=2),
        ends_at=moved_from + timedelta(hours=3),
    )
    circle.overrides = (moved,)
    rnd = rounds.create_round(
        rounds.RoundSettings(title="Lean Coffee Haushalt", starts_at=now + timedelta(days=1)),
        creator=user,
        invitees=[],
        now=now,
    )
    db.session.commit()

    with app.test_request_context():
        dates = overview.next_dates(user, now, limit=10)
    assert len(dates) == 10
    assert [d.starts_at for d in dates] == sorted(d.starts_at for d in dates)
    assert all(d.ends_at > now for d in dates)
    starts = [d.starts_at for d in dates]
    assert skipped not in starts and moved_from not in starts
    assert moved_from + timedelta(hours=2) in starts  # the moved week, at its new time
    assert "Lean Coffee: Lean Coffee Haushalt" in [d.title for d in dates]
    assert rnd.starts_at in starts

    client = app.test_client()
    login(client, user)
    page = client.get("/kalender/").get_data(as_text=True)
    assert "Meine nächsten Termine" in page and len(_dates(page)) == 10
    assert "Circle Wärmeplanung" in page and "Lean Coffee Haushalt" in page
    # shown in the reader's zone (New York), not in UTC or Berlin
    upcoming = first + timedelta(weeks=2)
    if upcoming <= now:
        upcoming += timedelta(weeks=1)
    assert upcoming.astimezone(NEW_YORK).strftime("%H:%M") in page


def test_a_round_closed_before_its_planned_end_is_no_next_date(app, make_user, login, now):
    """Like the dashboard and the open invitations: a date its format ended early is over."""
    user = make_user()
    running = rounds.create_round(
        rounds.RoundSettings(title="Schon beendet", starts_at=now - timedelta(minutes=20)),
        creator=user,
        invitees=[],
        now=now - timedelta(days=1),
    )
    rounds.create_round(
        rounds.RoundSettings(title="Noch offen", starts_at=now - timedelta(minutes=20)),
        creator=user,
        invitees=[],
        now=now - timedelta(days=1),
    )
    running.phase = "closed"  # closed early: its planned hour is not over yet
    db.session.commit()

    with app.test_request_context():
        titles = [d.title for d in overview.next_dates(user, now)]
    assert titles == ["Lean Coffee: Noch offen"]
    client = app.test_client()
    login(client, user)
    page = client.get("/kalender/").get_data(as_text=True)
    section = page.split('id="naechste"', 1)[1].split("</section>", 1)[0]
    assert "Noch offen" in section and "Schon beendet" not in section


def test_without_dates_the_page_says_so(app, make_user, login):
    client = app.test_client()
    login(client, make_user())
    page = client.get("/kalender/").get_data(as_text=True)
    assert "Sie haben keine anstehenden Termine." in page and _dates(page) == []
