"""CSRF: every POST form needs the token; the token lives as long as the session."""

from __future__ import annotations

import time

from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD
from tests.security.conftest import rules, url_for_rule

CSRF_TEXT = "Das Formular ist abgelaufen oder ungültig"


def test_csrf_protection_is_on_in_the_app_under_test(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_every_post_route_refuses_a_request_without_token(app, client, make_user, login):
    posts = rules(app, "POST")
    endpoints = {r.endpoint for r in posts}
    # the forms of this issue are all among them
    assert {
        "accounts.login",
        "accounts.logout",
        "accounts.profile",
        "accounts.request_link",
        "accounts.use_link",
        "accounts.second_factor",
        "accounts.forgot_password",
        "accounts.invite",
        "accounts.delete_account",
        "i18n.switch_language",
    } <= endpoints
    login(client, make_user("admin"))
    anonymous = app.test_client()
    for rule in posts:
        url = url_for_rule(rule)
        for who in (client, anonymous):
            resp = who.post(url, data={"email": "a@b.example", "password": "x" * 12})
            assert resp.status_code == 400, (url, resp.status_code)
            assert CSRF_TEXT in resp.get_data(as_text=True), url
    assert client.get("/konto").status_code == 200  # nothing signed the admin out


def test_wrong_token_is_refused(client, make_user):
    user = make_user()
    resp = client.post(
        "/anmelden",
        data={"email": user.email, "password": PASSWORD, "csrf_token": "IjEyMyI.forged.token"},
    )
    assert resp.status_code == 400
    assert client.get("/konto").status_code == 302


def test_form_submitted_two_hours_later_still_works(client, make_user, login, monkeypatch):
    """A person may take an hour (or two) over a form: the token does not expire before the
    session does. Time moves in itsdangerous, which signs both the token and the cookie."""
    user = make_user()
    login(client, user)
    page = client.get("/konto").get_data(as_text=True)
    from tests.conftest import csrf_from

    token = csrf_from(page)
    real_time = time.time

    class Later:
        @staticmethod
        def time():
            return real_time() + 2 * 3600

    monkeypatch.setattr("itsdangerous.timed.time", Later)
    resp = client.post(
        "/konto",
        data={
            "csrf_token": token,
            "name": "Spät, aber gültig",
            "language": "de",
            "timezone": "Europe/Berlin",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def test_test_controls_do_not_exist_in_a_normal_app(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, TESTING_CONTROLS=False)
    assert not [r for r in app.url_map.iter_rules() if r.endpoint.startswith("testing.")]


def test_post_form_helper_really_sends_the_token(client, make_user):
    """Guards the tests above: with the token, the same request is accepted."""
    user = make_user()
    resp = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert resp.status_code == 302


def test_the_clock_shift_is_real_a_one_hour_limit_would_refuse(
    app, client, make_user, login, monkeypatch
):
    """Control for the test above: with Flask-WTF's default limit the late form fails."""
    login(client, make_user())
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/konto").get_data(as_text=True))
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    real_time = time.time

    class Later:
        @staticmethod
        def time():
            return real_time() + 2 * 3600

    monkeypatch.setattr("itsdangerous.timed.time", Later)
    resp = client.post(
        "/konto",
        data={
            "csrf_token": token,
            "name": "Zu spät",
            "language": "de",
            "timezone": "Europe/Berlin",
        },
    )
    assert resp.status_code == 400
