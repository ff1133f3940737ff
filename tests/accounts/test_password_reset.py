"""Forgotten password: a reset link by mail, one hour, once; other sessions end."""

from __future__ import annotations

from peerlab.accounts import service
from peerlab.accounts.models import AuthSession
from peerlab.extensions import db
from tests.accounts.conftest import link_in, mails_to, post_form
from tests.conftest import PASSWORD, csrf_from

NEW = "ein-ganz-neues-passwort"


def request_reset(client, email):
    return post_form(client, "/passwort-vergessen", {"email": email})


def test_reset_sets_new_password_and_ends_all_sessions(app, client, make_user, login):
    user = make_user()
    elsewhere = app.test_client()
    login(elsewhere, user)
    assert elsewhere.get("/konto").status_code == 200

    assert request_reset(client, user.email).status_code == 302
    path = link_in(mails_to(user.email)[-1])
    resp = post_form(client, path, {"password": NEW, "password_repeat": NEW})
    assert resp.status_code == 302 and resp.location.endswith("/anmelden")

    assert service.authenticate(user.email, NEW) is not None
    assert service.authenticate(user.email, PASSWORD) is None
    assert elsewhere.get("/konto").status_code == 302  # the other session ended
    assert db.session.query(AuthSession).filter(AuthSession.revoked_at.is_(None)).count() == 0


def test_reset_link_works_once(client, make_user):
    user = make_user()
    request_reset(client, user.email)
    path = link_in(mails_to(user.email)[-1])
    page = client.get(path).get_data(as_text=True)
    post_form(client, path, {"password": NEW, "password_repeat": NEW})
    again = client.post(
        path,
        data={
            "password": "noch-ein-passwort",
            "password_repeat": "noch-ein-passwort",
            "csrf_token": csrf_from(page),
        },
    )
    assert again.status_code == 400
    assert service.authenticate(user.email, NEW) is not None


def test_reset_link_expires_after_one_hour(client, clock, make_user):
    user = make_user()
    request_reset(client, user.email)
    path = link_in(mails_to(user.email)[-1])
    clock.advance(3601)
    assert client.get(path).status_code == 400
    assert service.authenticate(user.email, PASSWORD) is not None


def test_too_short_password_does_not_use_up_the_link(client, make_user):
    user = make_user()
    request_reset(client, user.email)
    path = link_in(mails_to(user.email)[-1])
    bad = post_form(client, path, {"password": "kurz", "password_repeat": "kurz"})
    assert bad.status_code == 200
    assert "mindestens 10 Zeichen" in bad.get_data(as_text=True)
    assert post_form(client, path, {"password": NEW, "password_repeat": NEW}).status_code == 302


def test_mismatched_repeat_is_refused(client, make_user):
    user = make_user()
    request_reset(client, user.email)
    path = link_in(mails_to(user.email)[-1])
    bad = post_form(client, path, {"password": NEW, "password_repeat": NEW + "x"})
    assert bad.status_code == 200
    assert "stimmen nicht überein" in bad.get_data(as_text=True)
    assert service.authenticate(user.email, PASSWORD) is not None


def test_unknown_address_gets_the_same_answer(client):
    resp = request_reset(client, "unbekannt@kommune.example")
    assert resp.status_code == 302 and "art=reset" in resp.location
    [mail] = mails_to("unbekannt@kommune.example")
    assert "kein Konto" in mail.get_body(preferencelist=("plain",)).get_content()
