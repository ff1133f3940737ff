"""The meeting page and the notes in the circle's history, through HTTP: members only."""

from __future__ import annotations

import pytest

from peerlab.circles.service import circles as circles_service
from peerlab.circles.service import meeting as service
from peerlab.extensions import db
from tests.circles.conftest import People, actor, settings_from
from tests.circles.test_routes import _get


@pytest.fixture
def signed(make_user) -> People:
    return People(
        orga=make_user("organizer", name="Olga Orga"),
        anna=make_user(name="Anna Amsel"),
        ben=make_user(name="Ben Berg"),
        carl=make_user(name="Carl Clausen"),
        outsider=make_user(name="Otto Außen"),
        admin=make_user("admin", name="Ada Admin"),
    )


@pytest.fixture
def circle(signed, clock):
    """Set up by the organizer, who did not join: Anna and Ben active, Carl invited."""
    now = clock.now()
    made = circles_service.create_circle(
        settings_from(now, join=False, invitees=(signed.anna.id, signed.ben.id, signed.carl.id)),
        creator=signed.orga,
        now=now,
    )
    for person in (signed.anna, signed.ben):
        circles_service.answer_invitation(made.id, actor(person), accept=True, now=now)
    db.session.commit()
    return made


def test_the_meeting_page_is_for_active_members_only(app, login, signed, circle, clock):
    page = _get(app, login, signed.anna, f"/circles/{circle.id}/treffen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Treffen 1 von 12" in html and 'id="cm-strings"' in html
    assert "js/circles/meeting.js" in html
    for person in (signed.outsider, signed.admin, signed.orga, signed.carl):  # carl: invited
        assert _get(app, login, person, f"/circles/{circle.id}/treffen").status_code == 404
    show = _get(app, login, signed.anna, f"/circles/{circle.id}").get_data(as_text=True)
    assert f'href="/circles/{circle.id}/treffen"' in show and "Treffen öffnen" in show


def test_the_notes_stay_with_the_circle_and_only_its_members_see_them(
    app, login, signed, circle, clock
):
    _c, meeting = service.enter(circle.id, actor(signed.anna), clock.now())
    service.save_notes(meeting, "NOTIZ-DES-CIRCLES", 0)
    db.session.commit()
    page = _get(app, login, signed.ben, f"/circles/{circle.id}").get_data(as_text=True)
    assert "NOTIZ-DES-CIRCLES" in page
    overview = _get(app, login, signed.orga, f"/circles/{circle.id}")
    assert overview.status_code == 200 and "NOTIZ-DES-CIRCLES" not in overview.get_data(
        as_text=True
    )


def test_the_meeting_page_in_english(app, login, signed, circle):
    signed.ben.language = "en"
    db.session.commit()
    html = _get(app, login, signed.ben, f"/circles/{circle.id}/treffen").get_data(as_text=True)
    assert "Start the meeting" in html and "The meeting has not started yet" in html
    assert "Your turn" in html and "{name}\\u0027s turn" in html  # the script's strings (JSON)
    assert "Treffen beginnen" not in html
