"""Rate limits on sign-in and link requests; no answer reveals whether an address has an account."""

from __future__ import annotations

import re

from tests.accounts.conftest import mails_to, post_form, text_of
from tests.conftest import PASSWORD


def _strip_token(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)


def test_password_sign_in_is_rate_limited_per_address(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(10):
        resp = post_form(client, "/anmelden", {"email": user.email, "password": "falsch-falsch"})
        assert resp.status_code == 200
    resp = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert resp.status_code == 429
    html = resp.get_data(as_text=True)
    assert "Zu viele Versuche" in html and 'lang="de"' in html
    assert client.get("/konto").status_code == 302  # even the right password waits


def test_password_sign_in_is_rate_limited_per_ip(limited_app, make_user):
    """Failed sign-ins from one network address: 100 in five minutes, then a pause."""
    client = limited_app.test_client()
    statuses = [
        post_form(
            client, "/anmelden", {"email": f"p{i}@kommune.example", "password": "falsch-falsch"}
        ).status_code
        for i in range(101)
    ]
    assert statuses[:100] == [200] * 100 and statuses[100] == 429


def test_link_requests_are_rate_limited_per_address(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(3):
        assert post_form(client, "/anmelden/link", {"email": user.email}).status_code == 302
    resp = post_form(client, "/anmelden/link", {"email": user.email})
    assert resp.status_code == 429 and "Zu viele Versuche" in resp.get_data(as_text=True)
    from tests.accounts.conftest import mails_to

    assert len(mails_to(user.email)) == 3


def test_link_requests_are_rate_limited_per_ip(limited_app):
    """Link requests from one network address: 150 in 15 minutes (an office of 50, three
    requests each), then a pause."""
    client = limited_app.test_client()
    statuses = [
        post_form(client, "/anmelden/link", {"email": f"n{i}@kommune.example"}).status_code
        for i in range(151)
    ]
    assert statuses[:150] == [302] * 150 and statuses[150] == 429


def test_rate_limit_window_passes(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(3):
        post_form(client, "/anmelden/link", {"email": user.email})
    limited_app.extensions["peerlab.clock"].advance(16 * 60)
    assert post_form(client, "/anmelden/link", {"email": user.email}).status_code == 302


def test_429_page_in_english(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    post_form(client, "/sprache", {"lang": "en", "next": "/"}, page_url="/")
    for _ in range(3):
        post_form(client, "/passwort-vergessen", {"email": user.email})
    resp = post_form(client, "/passwort-vergessen", {"email": user.email})
    assert resp.status_code == 429
    assert "Too many attempts" in resp.get_data(as_text=True)


CHECK_MAIL = {
    "link": "haben wir einen Anmeldelink geschickt",
    "reset": "haben wir einen Link zum Zurücksetzen des Passworts geschickt",
}


def _same_answer(app, path: str, known: str, unknown: str, kind: str) -> None:
    """Both addresses get the success answer (redirect to "check your mail"), byte for byte
    the same; only the known address gets a mail with a link."""
    answers = []
    for email in (known, unknown):
        client = app.test_client()
        resp = post_form(client, path, {"email": email})
        assert resp.status_code == 302
        assert resp.location == f"/anmelden/post-pruefen?art={kind}"
        follow = client.get(resp.location)
        assert follow.status_code == 200
        assert CHECK_MAIL[kind] in follow.get_data(as_text=True)
        answers.append((resp.get_data(), _strip_token(follow.get_data(as_text=True))))
    assert answers[0] == answers[1]


def _mailed_link(address: str) -> bool:
    return any(
        "/anmelden/link/" in text_of(m) or "/passwort-neu/" in text_of(m) for m in mails_to(address)
    )


def test_link_request_answers_the_same_for_known_and_unknown(app, make_user):
    known = make_user().email
    _same_answer(app, "/anmelden/link", known, "unbekannt@kommune.example", "link")
    assert _mailed_link(known) and not _mailed_link("unbekannt@kommune.example")


def test_reset_request_answers_the_same_for_known_and_unknown(app, make_user):
    known = make_user().email
    _same_answer(app, "/passwort-vergessen", known, "unbekannt@kommune.example", "reset")
    assert _mailed_link(known) and not _mailed_link("unbekannt@kommune.example")


def test_link_request_for_invited_person_answers_the_same(app, make_user):
    invited = make_user(status="invited")
    _same_answer(app, "/anmelden/link", invited.email, "unbekannt@kommune.example", "link")
    assert not _mailed_link(invited.email)  # an invitation is accepted, not signed in to


def test_wrong_password_and_unknown_address_look_the_same(app, make_user):
    user = make_user()
    bodies = []
    for email in (user.email, "unbekannt@kommune.example"):
        client = app.test_client()
        resp = post_form(client, "/anmelden", {"email": email, "password": "falsch-falsch"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200
        assert "E-Mail-Adresse oder Passwort ist falsch." in html
        assert client.get("/konto").status_code == 302  # not signed in
        bodies.append(_strip_token(html).replace(email, "EMAIL"))
    assert bodies[0] == bodies[1]
