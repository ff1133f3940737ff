"""Hostile URLs and redirect targets: a clear 4xx or a safe fallback, never a 500 or a way out."""

from __future__ import annotations

import pytest

from peerlab.core.urls import safe_next
from peerlab.extensions import db
from peerlab.lean_coffee.models import Round
from tests.conftest import csrf_from

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/runden/{HUGE}",
        f"/runden/{HUGE}/zusammenfassung",
        f"/runden/{HUGE}/zusammenfassung.md",
        f"/runden/{HUGE}/bearbeiten",
        f"/runden/{HUGE}/beitreten/abc",
        f"/runden/{HUGE}/loeschen",
        f"/kalender/lean_coffee.round/{HUGE}.ics",
        f"/kalender/einladung/{HUGE}",
        f"/postfach/{HUGE}",
        f"/runden/neu?nach={HUGE}",
        "/runden/neu?nach=-3",
    ],
)
def test_out_of_range_ids_are_not_found(client, make_user, login, path):
    login(client, make_user("organizer"))
    assert client.get(path).status_code == 404


def test_a_non_number_follow_up_parameter_is_ignored(client, make_user, login):
    login(client, make_user("organizer"))
    resp = client.get("/runden/neu?nach=%C2%B2")
    assert resp.status_code == 200
    assert "Fortsetzung" not in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "https://evil.example",
        " /x",
        "/x\r\nSet-Cookie: a=b",
        "javascript:alert(1)",
        None,
        42,
    ],
)
def test_unsafe_next_targets_fall_back(app, target):
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/", "/runden/3", "/konto?tab=2", "/kalender/#feed"])
def test_same_site_paths_are_followed(app, target):
    assert safe_next(target, "/fallback") == target


def test_sign_in_does_not_redirect_off_site(client, make_user):
    user = make_user()
    page = client.get("/anmelden?next=/%09/evil.example").get_data(as_text=True)
    resp = client.post(
        "/anmelden?next=/%09/evil.example",
        data={
            "email": user.email,
            "password": "richtig-langes-passwort",
            "csrf_token": csrf_from(page),
        },
    )
    assert resp.status_code == 302
    assert resp.location in ("/", "http://localhost/")


def test_language_switch_with_control_characters_stays_on_site(client):
    page = client.get("/").get_data(as_text=True)
    resp = client.post(
        "/sprache", data={"lang": "en", "next": "/\n/x", "csrf_token": csrf_from(page)}
    )
    assert resp.status_code == 302 and resp.location in ("/", "http://localhost/")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_round_on_an_absurd_date_is_refused_and_nothing_is_created(client, make_user, login, day):
    login(client, make_user("organizer"))
    page = client.get("/runden/neu").get_data(as_text=True)
    resp = client.post(
        "/runden/neu",
        data={
            "csrf_token": csrf_from(page),
            "title": "Runde",
            "day": day,
            "start_time": "23:30",
            "planned_minutes": "480",
            "vote_budget": "3",
            "timebox_minutes": "8",
            "extension_percent": "50",
            "min_extension_minutes": "1",
            "access": "invited",
        },
    )
    assert resp.status_code == 200
    assert "zwischen 2000 und 2100" in resp.get_data(as_text=True)
    assert db.session.query(Round).count() == 0
