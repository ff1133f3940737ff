"""Downloads and feeds: who gets which calendar, tokens, ETag, and what never leaks."""

from __future__ import annotations

import re

import pytest

from peerlab.extensions import db
from peerlab.ical import invitations, service
from tests.conftest import csrf_from
from tests.ical.circle_source import SERIES_START, FakeCircle
from tests.ical.parsers import icaljs_occurrences, rie_occurrences, unfolded

KIND = "testcircle.meeting"


@pytest.fixture
def people(app, make_user, circles):
    member = make_user(name="Mia Mitglied")
    outsider = make_user(name="Otto Außen")
    circles.add(FakeCircle(1, "Offener Circle", SERIES_START, {member.id}))
    circles.add(
        FakeCircle(
            2, "Vertrauliche Gruppe", SERIES_START.replace(hour=15), {member.id}, confidential=True
        )
    )
    return {"member": member, "outsider": outsider}


def _create_feed(client) -> str:
    page = client.get("/kalender/")
    assert page.status_code == 200
    resp = client.post("/kalender/feed/neu", data={"csrf_token": csrf_from(page.get_data(True))})
    assert resp.status_code == 302
    page = client.get("/kalender/").get_data(as_text=True)
    match = re.search(r'value="(https?://[^"]+/kalender/feed/([\w-]+)\.ics)"', page)
    assert match, page
    return match.group(2)


def test_member_downloads_the_date_as_text_calendar(client, login, people):
    login(client, people["member"])
    resp = client.get("/kalender/testcircle.meeting/1.ics")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert len(rie_occurrences(resp.data)) == 12
    assert len(icaljs_occurrences(resp.data)) == 12
    assert "METHOD:PUBLISH" in unfolded(resp.data)


def test_download_of_someone_elses_date_is_404(client, login, people):
    login(client, people["outsider"])
    assert client.get("/kalender/testcircle.meeting/1.ics").status_code == 404


def test_download_of_a_confidential_date_is_404_for_non_members(client, login, people):
    login(client, people["outsider"])
    resp = client.get("/kalender/testcircle.meeting/2.ics")
    assert resp.status_code == 404
    assert b"Vertrauliche" not in resp.data


def test_download_of_unknown_dates_and_kinds_is_404(client, login, people):
    login(client, people["member"])
    assert client.get("/kalender/testcircle.meeting/99.ics").status_code == 404
    assert client.get("/kalender/gibtsnicht.kind/1.ics").status_code == 404


def test_download_needs_sign_in(client, people):
    resp = client.get("/kalender/testcircle.meeting/1.ics")
    assert resp.status_code == 302 and resp.location.startswith("/anmelden")
    assert b"BEGIN:VCALENDAR" not in resp.data


def test_download_url_helper_points_to_the_download_route(app, people):
    from peerlab.ical.routes import download_url

    with app.test_request_context():
        assert download_url(KIND, 1) == "/kalender/testcircle.meeting/1.ics"


def test_personal_feed_has_the_users_dates_and_parses_in_both(app, client, login, people):
    login(client, people["member"])
    token = _create_feed(client)
    resp = app.test_client().get(f"/kalender/feed/{token}.ics")  # calendar apps have no session
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
    lines = unfolded(resp.data)
    assert "X-WR-CALNAME:peerlab – Meine Termine" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert len(rie_occurrences(resp.data)) == 24
    assert len(icaljs_occurrences(resp.data)) == 24


def test_feed_carries_no_attendee_or_e_mail_address(client, login, people, now):
    member, outsider = people["member"], people["outsider"]
    invitations.invite(KIND, 1, member, now=now, organizer=outsider)
    db.session.commit()
    login(client, member)
    body = client.get(f"/kalender/feed/{_create_feed(client)}.ics").data
    assert b"ATTENDEE" not in body and b"ORGANIZER" not in body
    assert b"mailto:" not in body
    assert member.email.encode() not in body and outsider.email.encode() not in body


def test_confidential_date_appears_only_in_its_members_feed(app, client, login, people, now):
    member_feed = service.personal_feed(people["member"], now, name="x")
    outsider_feed = service.personal_feed(people["outsider"], now, name="x")
    assert b"Vertrauliche Gruppe" in member_feed
    assert b"CLASS:PRIVATE" in member_feed
    assert b"Vertrauliche Gruppe" not in outsider_feed
    assert b"VEVENT" not in outsider_feed


def test_feed_answers_304_to_a_matching_if_none_match(client, login, people):
    login(client, people["member"])
    url = f"/kalender/feed/{_create_feed(client)}.ics"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_feed_etag_changes_when_a_date_changes(client, login, people, circles):
    login(client, people["member"])
    url = f"/kalender/feed/{_create_feed(client)}.ics"
    etag = client.get(url).headers["ETag"]
    circles.circles[1].title = "Neuer Titel"
    resp = client.get(url, headers={"If-None-Match": etag})
    assert resp.status_code == 200
    assert resp.headers["ETag"] != etag


def test_bad_token_is_404(client, people):
    assert client.get("/kalender/feed/falsch.ics").status_code == 404
    assert client.get("/kalender/feed/" + "a" * 43 + ".ics").status_code == 404


def test_regenerating_the_token_kills_the_old_url(client, login, people):
    login(client, people["member"])
    old = _create_feed(client)
    new = _create_feed(client)
    assert old != new
    assert client.get(f"/kalender/feed/{old}.ics").status_code == 404
    assert client.get(f"/kalender/feed/{new}.ics").status_code == 200


def test_deleted_token_is_404(client, login, people):
    login(client, people["member"])
    token = _create_feed(client)
    page = client.get("/kalender/")
    client.post("/kalender/feed/loeschen", data={"csrf_token": csrf_from(page.get_data(True))})
    assert client.get(f"/kalender/feed/{token}.ics").status_code == 404
    assert "noch keinen Abo-Link" in client.get("/kalender/").get_data(as_text=True)


def test_only_a_hash_of_the_feed_token_is_stored(client, login, people):
    from peerlab.ical.models import FeedKey

    login(client, people["member"])
    token = _create_feed(client)
    user = db.session.get(type(people["member"]), people["member"].id)
    db.session.refresh(user)
    assert user.feed_token_hash and token not in user.feed_token_hash
    key = db.session.query(FeedKey).filter_by(user_id=user.id).one()
    assert token not in key.nonce
    assert len(token) >= 43  # 256 bits


def test_regenerate_without_csrf_changes_nothing(client, login, people):
    login(client, people["member"])
    token = _create_feed(client)
    resp = client.post("/kalender/feed/neu", data={})
    assert resp.status_code == 400
    assert client.get(f"/kalender/feed/{token}.ics").status_code == 200


def test_kalender_page_offers_https_and_webcal_links_from_base_url(app, client, login, people):
    app.config["BASE_URL"] = "https://peerlab.example"
    login(client, people["member"])
    token = _create_feed(client)
    page = client.get("/kalender/").get_data(as_text=True)
    assert f"https://peerlab.example/kalender/feed/{token}.ics" in page
    assert f"webcal://peerlab.example/kalender/feed/{token}.ics" in page


def test_kalender_page_is_in_the_navigation(client, login, people):
    login(client, people["member"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/kalender/"' in page


def _create_series_feed(client, user, series_id: int = 1) -> str:
    """Press the series' "subscribe" button; returns the token of its link."""
    page = client.get("/kalender/")
    resp = client.post(
        f"/kalender/reihe/testcircle.circle/{series_id}/neu",
        data={"csrf_token": csrf_from(page.get_data(True))},
    )
    assert resp.status_code == 302
    return service.series_feed_token(user, "testcircle.circle", series_id)


def test_series_feed_for_members_only(app, client, login, people):
    login(client, people["member"])
    token = _create_series_feed(client, people["member"])
    resp = client.get(f"/kalender/reihe/testcircle.circle/1/{token}.ics")
    assert resp.status_code == 200
    assert "X-WR-CALNAME:Offener Circle" in unfolded(resp.data)
    assert len(icaljs_occurrences(resp.data)) == 12
    other_client = app.test_client()
    login(other_client, people["outsider"])
    page = other_client.get("/kalender/")
    refused = other_client.post(
        "/kalender/reihe/testcircle.circle/1/neu",
        data={"csrf_token": csrf_from(page.get_data(True))},
    )
    assert refused.status_code == 404  # no link for a series one may not see
    other = _create_feed(other_client)
    assert client.get(f"/kalender/reihe/testcircle.circle/1/{other}.ics").status_code == 404
    assert client.get("/kalender/reihe/testcircle.circle/1/falsch.ics").status_code == 404
    assert client.get(f"/kalender/reihe/gibtsnicht/1/{token}.ics").status_code == 404
    # a series token opens only its own series
    assert client.get(f"/kalender/reihe/testcircle.circle/2/{token}.ics").status_code == 404


def test_series_feed_link_is_created_by_its_own_button(app, client, login, people, now):
    login(client, people["member"])
    page = client.get("/kalender/")
    resp = client.post(
        "/kalender/reihe/testcircle.circle/1/neu",
        data={"csrf_token": csrf_from(page.get_data(True)), "next": "/kalender/"},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/kalender/")
    token = service.series_feed_token(people["member"], "testcircle.circle", 1)
    assert token and len(token) >= 43
    with app.test_request_context():
        from peerlab.ical.routes import series_feed_links

        links = series_feed_links("testcircle.circle", 1, people["member"])
    assert links["https"].endswith(f"/kalender/reihe/testcircle.circle/1/{token}.ics")
    assert links["webcal"].startswith("webcal://")


def test_a_series_url_cannot_open_the_personal_feed(app, client, login, people, now):
    """Whoever gets a series link must not be able to read the person's whole calendar."""
    member = people["member"]
    login(client, member)
    personal = _create_feed(client)
    series = service.regenerate_series_feed_token(member, "testcircle.circle", 1, now)
    db.session.commit()
    assert series != personal
    outside = app.test_client()  # a calendar app with the shared series link only
    assert outside.get(f"/kalender/reihe/testcircle.circle/1/{series}.ics").status_code == 200
    assert outside.get(f"/kalender/feed/{series}.ics").status_code == 404
    # and the personal token no longer opens a series feed either
    assert outside.get(f"/kalender/reihe/testcircle.circle/1/{personal}.ics").status_code == 404


def test_series_feed_is_revoked_on_its_own(app, client, login, people, now):
    member = people["member"]
    login(client, member)
    personal = _create_feed(client)
    first = service.regenerate_series_feed_token(member, "testcircle.circle", 1, now)
    db.session.commit()
    page = client.get("/kalender/")
    resp = client.post(
        "/kalender/reihe/testcircle.circle/1/loeschen",
        data={"csrf_token": csrf_from(page.get_data(True))},
    )
    assert resp.status_code == 302
    assert client.get(f"/kalender/reihe/testcircle.circle/1/{first}.ics").status_code == 404
    assert client.get(f"/kalender/feed/{personal}.ics").status_code == 200
    # renewing gives a new link and kills the old one; revoking the personal feed leaves it
    second = service.regenerate_series_feed_token(member, "testcircle.circle", 1, now)
    third = service.regenerate_series_feed_token(member, "testcircle.circle", 1, now)
    db.session.commit()
    assert client.get(f"/kalender/reihe/testcircle.circle/1/{second}.ics").status_code == 404
    page = client.get("/kalender/")
    client.post("/kalender/feed/loeschen", data={"csrf_token": csrf_from(page.get_data(True))})
    assert client.get(f"/kalender/feed/{personal}.ics").status_code == 404
    assert client.get(f"/kalender/reihe/testcircle.circle/1/{third}.ics").status_code == 200


def test_series_feed_stops_when_the_person_loses_the_series(app, client, people, circles, now):
    member = people["member"]
    token = service.regenerate_series_feed_token(member, "testcircle.circle", 1, now)
    db.session.commit()
    circles.circles[1].members.discard(member.id)
    assert client.get(f"/kalender/reihe/testcircle.circle/1/{token}.ics").status_code == 404


def test_only_a_hash_of_a_series_token_is_stored(people, now):
    from peerlab.ical.models import SeriesFeedKey

    token = service.regenerate_series_feed_token(people["member"], "testcircle.circle", 1, now)
    key = db.session.query(SeriesFeedKey).one()
    assert token not in key.token_hash and token not in key.nonce


def test_kalender_page_speaks_english_to_english_users(client, login, make_user):
    user = make_user(name="Emma English", language="en")
    login(client, user)
    page = client.get("/kalender/").get_data(as_text=True)
    assert "My calendar subscription" in page
    assert "Create subscription link" in page


def test_single_download_is_offered_as_a_file(client, login, people):
    login(client, people["member"])
    resp = client.get("/kalender/testcircle.meeting/1.ics")
    assert resp.headers["Content-Disposition"].startswith("attachment;")
