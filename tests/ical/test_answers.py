"""Answering invitations (in peerlab, through the signed mail links); the organizer view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template

from peerlab.extensions import db
from peerlab.ical import invitations, overview, service
from peerlab.ical.models import Invitation
from tests.conftest import csrf_from
from tests.ical.circle_source import BERLIN, FakeCircle

KIND = "testcircle.meeting"


@pytest.fixture
def invited(app, make_user, circles, now):
    organizer = make_user("organizer", name="Ute Orga")
    anna = make_user(name="Anna Beispiel")
    ben = make_user(name="Ben Example")
    # Weekly from 10:00 Berlin in three weeks' time: upcoming on any date.
    start = (now.astimezone(BERLIN) + timedelta(weeks=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    circles.add(FakeCircle(5, "Kollegiale Fallberatung", start, {anna.id, ben.id}))
    inv_anna = invitations.invite(KIND, 5, anna, now=now, organizer=organizer)
    inv_ben = invitations.invite(KIND, 5, ben, now=now, organizer=organizer)
    db.session.commit()
    return {
        "organizer": organizer,
        "anna": anna,
        "ben": ben,
        "inv_anna": inv_anna,
        "inv_ben": inv_ben,
    }


def _link(invitation: Invitation) -> str:
    return f"/kalender/antwort/{service.rsvp_token(invitation.rsvp_salt)}"


def _partstat(invitation_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Invitation, invitation_id).partstat


def test_opening_the_mail_link_only_shows_a_confirm_button(client, invited):
    resp = client.get(_link(invited["inv_anna"]) + "?antwort=zusage")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Kollegiale Fallberatung" in page
    assert 'name="antwort" value="zusage"' in page
    assert _partstat(invited["inv_anna"].id) == "NEEDS-ACTION"


def test_confirming_the_mail_link_records_the_answer_without_sign_in(client, invited, now):
    url = _link(invited["inv_anna"])
    page = client.get(url + "?antwort=vielleicht").get_data(as_text=True)
    resp = client.post(url, data={"antwort": "vielleicht", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    assert _partstat(invited["inv_anna"].id) == "TENTATIVE"
    assert _partstat(invited["inv_ben"].id) == "NEEDS-ACTION"
    assert "mit „Vielleicht“ geantwortet" in client.get(url).get_data(as_text=True)


def test_a_bad_answer_link_is_404(client, invited):
    assert client.get("/kalender/antwort/falsch").status_code == 404
    token = csrf_from(client.get("/anmelden").get_data(as_text=True))  # a valid form, bad link
    resp = client.post("/kalender/antwort/falsch", data={"antwort": "zusage", "csrf_token": token})
    assert resp.status_code == 404


def test_an_unknown_answer_is_refused_and_changes_nothing(client, invited):
    url = _link(invited["inv_anna"])
    page = client.get(url).get_data(as_text=True)
    resp = client.post(url, data={"antwort": "vielleicht-doch", "csrf_token": csrf_from(page)})
    assert resp.status_code == 400
    assert "Bitte wählen Sie eine Antwort." in resp.get_data(as_text=True)
    assert _partstat(invited["inv_anna"].id) == "NEEDS-ACTION"


def test_answer_without_csrf_token_changes_nothing(client, invited):
    resp = client.post(_link(invited["inv_anna"]), data={"antwort": "zusage"})
    assert resp.status_code == 400
    assert _partstat(invited["inv_anna"].id) == "NEEDS-ACTION"


def test_invitee_answers_on_the_invitation_page(client, login, invited):
    login(client, invited["anna"])
    url = f"/kalender/einladung/{invited['inv_anna'].id}"
    page = client.get(url).get_data(as_text=True)
    resp = client.post(url, data={"antwort": "absage", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    assert _partstat(invited["inv_anna"].id) == "DECLINED"
    assert "Sie haben abgesagt." in client.get(url).get_data(as_text=True)


def test_someone_elses_invitation_page_is_404(client, login, invited):
    login(client, invited["anna"])
    assert client.get(f"/kalender/einladung/{invited['inv_ben'].id}").status_code == 404


def test_open_invitations_appear_on_the_dashboard_until_answered(client, login, invited, now):
    login(client, invited["anna"])
    page = client.get("/").get_data(as_text=True)
    assert "Kollegiale Fallberatung" in page
    assert f"/kalender/einladung/{invited['inv_anna'].id}" in page
    invitations.respond(invited["inv_anna"], "ACCEPTED", now=now)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f"/kalender/einladung/{invited['inv_anna'].id}" not in page


def test_a_cancelled_date_takes_no_more_answers(client, invited, now):
    invitations.send_cancel(KIND, 5, now=now)
    db.session.commit()
    url = _link(invited["inv_anna"])
    page = client.get(url).get_data(as_text=True)
    assert "abgesagt" in page
    resp = client.post(url, data={"antwort": "zusage", "csrf_token": csrf_from(page)})
    assert resp.status_code == 400
    assert "Dieser Termin ist abgesagt. Eine Antwort ist nicht mehr möglich." in resp.get_data(
        as_text=True
    )
    assert _partstat(invited["inv_anna"].id) == "NEEDS-ACTION"


def test_organizer_view_shows_who_was_invited_and_how_they_answered(app, invited, now):
    invitations.respond(invited["inv_anna"], "ACCEPTED", now=now)
    db.session.commit()
    summary = overview.summary(KIND, 5)
    assert summary.invited == 2 and summary.answered == 1
    assert [(r.name, r.partstat) for r in summary.rows] == [
        ("Anna Beispiel", "ACCEPTED"),
        ("Ben Example", "NEEDS-ACTION"),
    ]
    with app.test_request_context():
        html = render_template("ical/_responses.html", summary=summary)
    assert "2 eingeladen, 1 geantwortet: 1 zugesagt, 0 vielleicht, 0 abgesagt." in html
    assert "Anna Beispiel" in html and "Zugesagt" in html
    assert "Ben Example" in html and "Noch keine Antwort" in html
    assert "@" not in html  # names only, no addresses


def test_the_responses_partial_is_includable_through_the_template_global(app, invited):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% with summary=ical_responses("testcircle.meeting", 5) %}'
            '{% include "ical/_responses.html" %}{% endwith %}'
        ).render()
    assert "Einladungen und Antworten" in html and "Ben Example" in html


def test_account_deletion_removes_the_invitations(app, invited, now):
    from peerlab.ical.lifecycle import erase_user, export_user

    exported = export_user(invited["anna"])
    assert exported["invitations"][0]["answer"] == "NEEDS-ACTION"
    erase_user(invited["anna"], True, now)
    db.session.commit()
    assert [i.user_id for i in invitations.responses(KIND, 5)] == [invited["ben"].id]


def test_kalender_page_lists_my_upcoming_invitations_with_their_answer(client, login, invited):
    login(client, invited["ben"])
    page = client.get("/kalender/").get_data(as_text=True)
    assert "Kollegiale Fallberatung" in page
    assert f"/kalender/einladung/{invited['inv_ben'].id}" in page
    assert f"/kalender/einladung/{invited['inv_anna'].id}" not in page
    assert "Noch keine Antwort" in page


def test_the_route_helper_renders_the_responses_for_an_organizer_page(app, invited):
    from peerlab.ical.routes import responses_html

    with app.test_request_context():
        html = str(responses_html(KIND, 5))
    assert "Anna Beispiel" in html and "Ben Example" in html


def test_a_series_that_is_over_takes_no_more_answers(client, invited, clock):
    url = _link(invited["inv_anna"])
    token = csrf_from(client.get(url).get_data(as_text=True))
    clock.advance(20 * 7 * 24 * 3600)  # past the twelfth meeting, which starts in 14 weeks
    page = client.get(url).get_data(as_text=True)
    assert "Dieser Termin ist vorbei. Eine Antwort ist nicht mehr möglich." in page
    resp = client.post(url, data={"antwort": "zusage", "csrf_token": token})
    assert resp.status_code == 400
    assert "Dieser Termin ist vorbei." in resp.get_data(as_text=True)
    assert _partstat(invited["inv_anna"].id) == "NEEDS-ACTION"


def test_a_series_with_meetings_ahead_still_takes_answers(client, invited, clock):
    url = _link(invited["inv_anna"])
    token = csrf_from(client.get(url).get_data(as_text=True))
    clock.advance(6 * 7 * 24 * 3600)  # the first meetings are over, later ones are ahead
    resp = client.post(url, data={"antwort": "zusage", "csrf_token": token})
    assert resp.status_code == 302
    assert _partstat(invited["inv_anna"].id) == "ACCEPTED"
