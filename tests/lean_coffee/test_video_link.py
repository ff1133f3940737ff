"""The round's video-room link: only complete http:// or https:// links, in the form and in the
service; anything else gets a clear error and changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import rounds
from tests.conftest import csrf_from

REFUSED = [
    "javascript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "ftp://files.example.org/raum",
    "mailto:raum@example.org",
    "data:text/html,<b>x</b>",
    "meet.example.org/raum",
    "//meet.example.org/raum",
    "https://",
    "https:///raum",
    "https://meet.example.org/raum mit leerzeichen",
]
ACCEPTED = [
    "https://meet.example.org/lean-coffee",
    "http://10.0.0.5:8080/raum",
    "HTTPS://Meet.Example.org",
]


def form_data(page: str, video_url: str, now: datetime) -> dict:
    return {
        "csrf_token": csrf_from(page),
        "title": "Runde Videoraum",
        "day": (now + timedelta(days=1)).date().isoformat(),
        "start_time": "09:00",
        "planned_minutes": "60",
        "video_url": video_url,
        "vote_budget": "3",
        "timebox_minutes": "8",
        "extension_percent": "50",
        "min_extension_minutes": "1",
        "access": "invited",
    }


@pytest.mark.parametrize("url", REFUSED)
def test_create_form_refuses_links_that_are_not_http_or_https(client, make_user, login, now, url):
    login(client, make_user("organizer"))
    page = client.get("/runden/neu").get_data(as_text=True)
    resp = client.post("/runden/neu", data=form_data(page, url, now))
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert (
        "Bitte geben Sie einen vollständigen Link an, der mit https:// oder http:// beginnt."
        in text
    )
    assert db.session.scalar(select(Round)) is None


def test_error_is_english_for_english_readers(client, make_user, login, now):
    login(client, make_user("organizer", language="en"))
    page = client.get("/runden/neu").get_data(as_text=True)
    resp = client.post("/runden/neu", data=form_data(page, "javascript:alert(1)", now))
    assert "Please enter a complete link that starts with https:// or http://." in resp.get_data(
        as_text=True
    )
    assert db.session.scalar(select(Round)) is None


@pytest.mark.parametrize("url", ACCEPTED)
def test_create_form_accepts_http_and_https_links(client, make_user, login, now, url):
    login(client, make_user("organizer"))
    page = client.get("/runden/neu").get_data(as_text=True)
    assert client.post("/runden/neu", data=form_data(page, url, now)).status_code == 302
    assert db.session.scalar(select(Round)).video_url == url


def test_edit_form_refuses_a_javascript_link_and_keeps_the_old_one(app, make_round, login, now):
    cast = make_round(signed_in=True, video_url="https://meet.example.org/alt")
    orga = app.test_client()
    login(orga, cast.users["orga"])
    path = f"/runden/{cast.round.id}/bearbeiten"
    page = orga.get(path).get_data(as_text=True)
    resp = orga.post(path, data=form_data(page, "javascript:alert(document.cookie)", now))
    assert resp.status_code == 200
    assert "mit https:// oder http:// beginnt" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Round, cast.round.id).video_url == "https://meet.example.org/alt"


@pytest.mark.parametrize("url", REFUSED)
def test_service_refuses_the_same_links(app, now, url):
    settings = rounds.RoundSettings(title="T", starts_at=now + timedelta(days=1), video_url=url)
    with pytest.raises(InvalidInput) as err:
        settings.check()
    assert "https:// oder http://" in err.value.message
