"""Lean Coffee registers "Jetzt teilnehmen": the dashboard and the invitation page show the
button from 15 minutes before the start until the round is closed, cancelled or 30 minutes past
its planned end (moved with the test clock)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.core import joining
from peerlab.extensions import db
from peerlab.ical.models import Invitation
from peerlab.lean_coffee import calendar_source

BUTTON = "Jetzt teilnehmen"


def _dashboard(app, login, user) -> str:
    client = app.test_client()
    login(client, user)
    return client.get("/").get_data(as_text=True)


def test_lean_coffee_registers_its_way_to_join(app, make_round, now):
    cast = make_round(starts_at=now + timedelta(minutes=10), planned_minutes=60)
    anna = cast.users["anna"]
    other = make_round(starts_at=now + timedelta(minutes=10)).round
    with app.test_request_context():
        url = joining.join_url("lean_coffee.round", cast.round.id, anna, now)
        assert url == f"/runden/{cast.round.id}"
        assert joining.join_url("lean_coffee.round", other.id, anna, now) is None


def test_dashboard_shows_the_button_only_inside_the_window(app, make_round, clock, login):
    start = clock.now() + timedelta(hours=2)
    cast = make_round(signed_in=True, starts_at=start, planned_minutes=60)
    anna = cast.users["anna"]
    button = f'pl-join" href="/runden/{cast.round.id}"'

    clock.set(start - timedelta(minutes=16))
    page = _dashboard(app, login, anna)
    assert cast.round.title in page and BUTTON not in page

    clock.set(start - timedelta(minutes=14))
    page = _dashboard(app, login, anna)
    assert BUTTON in page and button in page

    clock.set(start + timedelta(minutes=60 + 29))
    assert BUTTON in _dashboard(app, login, anna)

    clock.set(start + timedelta(minutes=60 + 31))
    assert BUTTON not in _dashboard(app, login, anna)


def test_a_closed_or_cancelled_round_has_no_button(app, make_round, clock, login):
    start = clock.now() + timedelta(minutes=5)
    cast = make_round(signed_in=True, starts_at=start)
    assert BUTTON in _dashboard(app, login, cast.users["ben"])
    cast.round.phase = "closed"
    db.session.commit()
    assert BUTTON not in _dashboard(app, login, cast.users["ben"])
    cast.round.phase = "discuss"
    cast.round.cancelled_at = clock.now()
    db.session.commit()
    assert BUTTON not in _dashboard(app, login, cast.users["ben"])


def test_invitation_page_shows_the_button_from_15_minutes_before(app, make_round, clock, login):
    start = clock.now() + timedelta(hours=3)
    cast = make_round(signed_in=True, starts_at=start)
    calendar_source.invite_all(cast.round, organizer=cast.users["orga"], now=clock.now())
    db.session.commit()
    anna = cast.users["anna"]
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == anna.id))
    client = app.test_client()
    login(client, anna)

    clock.set(start - timedelta(minutes=16))
    page = client.get(f"/kalender/einladung/{invitation.id}").get_data(as_text=True)
    assert "Einladung" in page and BUTTON not in page

    clock.set(start - timedelta(minutes=15))
    page = client.get(f"/kalender/einladung/{invitation.id}").get_data(as_text=True)
    assert BUTTON in page and f'href="/runden/{cast.round.id}"' in page

    cast.round.phase = "closed"
    db.session.commit()
    page = client.get(f"/kalender/einladung/{invitation.id}").get_data(as_text=True)
    assert BUTTON not in page
