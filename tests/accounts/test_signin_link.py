"""Sign-in by a one-time link: 15 minutes, once, GET shows a button and only POST uses it."""

from __future__ import annotations

from sqlalchemy import select

from peerlab.accounts.models import AuthSession, OneTimeToken
from peerlab.extensions import db
from tests.accounts.conftest import link_in, mails_to, post_form


def request_link(client, email: str):
    return post_form(client, "/anmelden/link", {"email": email})


def test_link_request_sends_a_link_that_signs_in_on_post(client, make_user):
    user = make_user()
    resp = request_link(client, user.email)
    assert resp.status_code == 302 and "/anmelden/post-pruefen" in resp.location
    [mail] = mails_to(user.email)
    assert "Anmeldelink" in mail["Subject"]
    path = link_in(mail)

    page = client.get(path)
    assert page.status_code == 200
    assert "Jetzt anmelden" in page.get_data(as_text=True)
    assert client.get("/konto").status_code == 302  # opening the link alone signs nobody in

    resp = post_form(client, path)
    assert resp.status_code == 302
    assert client.get("/konto").status_code == 200


def test_opening_the_link_does_not_use_it_up(client, make_user):
    user = make_user()
    request_link(client, user.email)
    path = link_in(mails_to(user.email)[0])
    for _ in range(3):  # a mail scanner, a preview, the person
        assert client.get(path).status_code == 200
    assert db.session.scalar(select(OneTimeToken.used_at)) is None
    assert post_form(client, path).status_code == 302


def test_link_works_only_once(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    request_link(first, user.email)
    path = link_in(mails_to(user.email)[0])
    page_a = first.get(path).get_data(as_text=True)
    page_b = second.get(path).get_data(as_text=True)
    from tests.conftest import csrf_from

    ok = first.post(path, data={"csrf_token": csrf_from(page_a)})
    again = second.post(path, data={"csrf_token": csrf_from(page_b)})
    assert ok.status_code == 302
    assert again.status_code == 400
    assert "abgelaufen oder wurde schon benutzt" in again.get_data(as_text=True), again.get_data(
        as_text=True
    )[1500:3000]
    assert second.get("/konto").status_code == 302
    assert db.session.query(AuthSession).count() == 1


def test_link_expires_after_15_minutes(client, clock, make_user):
    user = make_user()
    request_link(client, user.email)
    path = link_in(mails_to(user.email)[0])
    page = client.get(path)
    clock.advance(15 * 60 + 1)
    from tests.conftest import csrf_from

    resp = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.status_code == 400
    assert client.get(path).status_code == 400
    assert client.get("/konto").status_code == 302


def test_link_still_works_just_before_expiry(client, clock, make_user):
    user = make_user()
    request_link(client, user.email)
    path = link_in(mails_to(user.email)[0])
    clock.advance(14 * 60)
    assert post_form(client, path).status_code == 302
    assert client.get("/konto").status_code == 200


def test_unknown_address_gets_neutral_mail_and_same_page(client):
    resp = request_link(client, "niemand@nirgendwo.example")
    assert resp.status_code == 302 and "/anmelden/post-pruefen" in resp.location
    [mail] = mails_to("niemand@nirgendwo.example")
    assert "kein Konto" in mail.get_body(preferencelist=("plain",)).get_content()
    assert db.session.query(OneTimeToken).count() == 0


def test_made_up_link_is_refused(client):
    assert client.get("/anmelden/link/" + "x" * 43).status_code == 400


def test_link_for_admin_still_needs_second_factor(client, make_user):
    admin = make_user("admin")
    request_link(client, admin.email)
    resp = post_form(client, link_in(mails_to(admin.email)[0]))
    assert resp.status_code == 302 and "/anmelden/zweiter-faktor" in resp.location
    assert db.session.query(AuthSession).count() == 0


def test_mail_is_in_the_recipients_language(client, make_user):
    user = make_user(language="en")
    request_link(client, user.email)
    [mail] = mails_to(user.email)
    assert mail["Subject"] == "Your sign-in link for peerlab"
