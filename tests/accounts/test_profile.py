"""Profile: personal data, language, time zone, password change, e-mail change."""

from __future__ import annotations

from peerlab.accounts import service
from peerlab.extensions import db
from tests.accounts.conftest import link_in, mails_to, post_form
from tests.conftest import PASSWORD, csrf_from

PROFILE = {
    "name": "Dr. Miriam Lindner",
    "municipality": "Gemeinde Lindenau",
    "function": "Bürgermeisterin",
    "language": "de",
    "timezone": "Europe/Berlin",
}


def test_profile_shows_every_field_labelled(client, make_user, login):
    login(client, make_user())
    html = client.get("/konto").get_data(as_text=True)
    for field in ("name", "municipality", "function", "language", "timezone"):
        assert f'for="{field}"' in html and f'id="{field}"' in html
    # The account-wide pseudonym is gone (groups will have one per group): no field, no hint.
    assert 'id="pseudonym"' not in html and "Pseudonym" not in html
    assert "/konto/export" in html and "/konto/loeschen" in html


def test_profile_saves_fields(client, make_user, login):
    user = make_user()
    login(client, user)
    resp = post_form(client, "/konto", {**PROFILE, "timezone": "America/New_York"})
    assert resp.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.municipality, user.function) == (
        "Dr. Miriam Lindner",
        "Gemeinde Lindenau",
        "Bürgermeisterin",
    )
    assert user.timezone == "America/New_York"


def test_unknown_time_zone_is_refused_and_nothing_changes(client, make_user, login):
    user = make_user(name="Alt")
    login(client, user)
    resp = post_form(client, "/konto", {**PROFILE, "timezone": "Mars/Olympus"})
    assert resp.status_code == 200
    db.session.refresh(user)
    assert user.name == "Alt" and user.timezone == "Europe/Berlin"


def test_language_switch_to_english_in_profile(client, make_user, login):
    user = make_user()
    login(client, user)
    post_form(client, "/konto", {**PROFILE, "language": "en"})
    html = client.get("/konto").get_data(as_text=True)
    assert 'lang="en"' in html and "My account" in html


def test_empty_name_is_refused(client, make_user, login):
    user = make_user(name="Bleibt")
    login(client, user)
    resp = post_form(client, "/konto", {**PROFILE, "name": "   "})
    assert resp.status_code == 200
    db.session.refresh(user)
    assert user.name == "Bleibt"


def test_profile_needs_sign_in(client):
    resp = client.get("/konto")
    assert resp.status_code == 302 and "/anmelden" in resp.location


def test_change_password_needs_current_and_ends_other_sessions(app, client, make_user, login):
    user = make_user()
    login(client, user)
    other = app.test_client()
    login(other, user)
    wrong = post_form(
        client,
        "/konto/passwort",
        {
            "current_password": "falsch-falsch",
            "password": "neues-passwort-1",
            "password_repeat": "neues-passwort-1",
        },
    )
    assert wrong.status_code == 200
    assert service.authenticate(user.email, PASSWORD) is not None
    ok = post_form(
        client,
        "/konto/passwort",
        {
            "current_password": PASSWORD,
            "password": "neues-passwort-1",
            "password_repeat": "neues-passwort-1",
        },
    )
    assert ok.status_code == 302
    assert service.authenticate(user.email, "neues-passwort-1") is not None
    assert client.get("/konto").status_code == 200  # this session stays
    assert other.get("/konto").status_code == 302  # the other one ended


def test_email_change_is_confirmed_at_the_new_address(client, make_user, login):
    user = make_user(email="alt@kommune.example")
    login(client, user)
    resp = post_form(
        client, "/konto/email", {"new_email": "Neu@Kommune.example", "password": PASSWORD}
    )
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.email == "alt@kommune.example"  # nothing changes before confirmation
    [mail] = mails_to("neu@kommune.example")
    path = link_in(mail)
    assert "neu@kommune.example" in client.get(path).get_data(as_text=True)
    assert post_form(client, path).status_code == 302
    db.session.refresh(user)
    assert user.email == "neu@kommune.example"
    [notice] = mails_to("alt@kommune.example")
    assert "neu@kommune.example" in notice.get_body(preferencelist=("plain",)).get_content()


def test_email_change_needs_the_password(client, make_user, login):
    user = make_user()
    login(client, user)
    resp = post_form(
        client, "/konto/email", {"new_email": "x@kommune.example", "password": "falsch-falsch"}
    )
    assert resp.status_code == 200
    assert mails_to("x@kommune.example") == []


def test_email_change_to_taken_address_sends_nothing_but_looks_the_same(client, make_user, login):
    other = make_user(email="vergeben@kommune.example")
    user = make_user()
    login(client, user)
    resp = post_form(client, "/konto/email", {"new_email": other.email, "password": PASSWORD})
    assert resp.status_code == 302 and "art=email" in resp.location
    assert mails_to(other.email) == []


def test_email_change_link_works_once(client, make_user, login):
    user = make_user()
    login(client, user)
    post_form(client, "/konto/email", {"new_email": "einmal@kommune.example", "password": PASSWORD})
    path = link_in(mails_to("einmal@kommune.example")[0])
    page = client.get(path).get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_from(page)}).status_code == 302
    assert client.post(path, data={"csrf_token": csrf_from(page)}).status_code == 400
