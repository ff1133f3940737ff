"""Two-factor sign-in: required for admins and organizers, optional for members, no replay."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from peerlab.accounts.models import AuthSession, User
from peerlab.extensions import db
from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD


def password_step(client, user):
    return post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})


def secret_on(page_html: str) -> str:
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page_html)
    assert match, "secret not shown as text"
    return match.group(1).replace(" ", "")


def test_admin_without_app_must_set_it_up_before_any_page(client, make_user, clock):
    admin = make_user("admin", totp=False)
    resp = password_step(client, admin)
    assert resp.location.endswith("/anmelden/zweiter-faktor/einrichten")
    assert db.session.query(AuthSession).count() == 0  # no server session yet
    # every other page sends them back to the setup
    for path in ("/", "/konto", "/verwaltung/personen"):
        other = client.get(path)
        assert other.status_code == 302 and "/zweiter-faktor/einrichten" in other.location

    page = client.get("/anmelden/zweiter-faktor/einrichten").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page  # QR code inline
    secret = secret_on(page)
    resp = post_form(
        client, "/anmelden/zweiter-faktor/einrichten", {"code": pyotp.TOTP(secret).at(clock.now())}
    )
    assert resp.status_code == 302
    db.session.refresh(admin)
    assert admin.totp_enabled and admin.totp_secret == secret
    assert client.get("/konto").status_code == 200
    assert db.session.query(AuthSession).count() == 1


def test_setup_with_wrong_code_changes_nothing(client, make_user):
    organizer = make_user("organizer", totp=False)
    password_step(client, organizer)
    resp = post_form(client, "/anmelden/zweiter-faktor/einrichten", {"code": "000000"})
    assert resp.status_code == 200
    assert "Der Code stimmt nicht" in resp.get_data(as_text=True)
    db.session.refresh(organizer)
    assert not organizer.totp_enabled and organizer.totp_secret is None
    assert client.get("/konto").status_code == 302


def test_admin_with_app_must_enter_a_code(client, make_user, clock):
    admin = make_user("admin")
    resp = password_step(client, admin)
    assert resp.location.endswith("/anmelden/zweiter-faktor")
    assert client.get("/konto").status_code == 302
    bad = post_form(client, "/anmelden/zweiter-faktor", {"code": "123456"})
    assert bad.status_code == 200 and db.session.query(AuthSession).count() == 0
    good = post_form(
        client, "/anmelden/zweiter-faktor", {"code": pyotp.TOTP(admin.totp_secret).at(clock.now())}
    )
    assert good.status_code == 302
    assert client.get("/konto").status_code == 200


def test_same_code_cannot_be_used_twice(app, make_user, clock):
    admin = make_user("admin")
    code = pyotp.TOTP(admin.totp_secret).at(clock.now())
    first, second = app.test_client(), app.test_client()
    password_step(first, admin)
    password_step(second, admin)
    assert post_form(first, "/anmelden/zweiter-faktor", {"code": code}).status_code == 302
    replay = post_form(second, "/anmelden/zweiter-faktor", {"code": code})
    assert replay.status_code == 200
    assert "schon benutzt" in replay.get_data(as_text=True)
    assert second.get("/konto").status_code == 302


def test_next_step_code_works_after_the_previous(app, make_user, clock):
    admin = make_user("admin")
    totp = pyotp.TOTP(admin.totp_secret)
    first, second = app.test_client(), app.test_client()
    password_step(first, admin)
    post_form(first, "/anmelden/zweiter-faktor", {"code": totp.at(clock.now())})
    clock.advance(30)
    password_step(second, admin)
    resp = post_form(second, "/anmelden/zweiter-faktor", {"code": totp.at(clock.now())})
    assert resp.status_code == 302


def test_pending_sign_in_expires(client, make_user, clock):
    admin = make_user("admin")
    password_step(client, admin)
    clock.advance(11 * 60)
    resp = client.get("/anmelden/zweiter-faktor")
    assert resp.status_code == 302 and "/anmelden" in resp.location
    assert client.get("/konto").status_code == 302


def test_member_without_second_factor_signs_in_with_password_only(client, make_user):
    member = make_user()
    resp = password_step(client, member)
    assert resp.status_code == 302 and "zweiter-faktor" not in resp.location
    assert client.get("/konto").status_code == 200


def test_member_enables_second_factor_in_profile_and_then_needs_it(
    app, client, make_user, login, clock
):
    member = make_user()
    login(client, member)
    page = client.get("/anmelden/zweiter-faktor/einrichten").get_data(as_text=True)
    secret = secret_on(page)
    resp = post_form(
        client, "/anmelden/zweiter-faktor/einrichten", {"code": pyotp.TOTP(secret).at(clock.now())}
    )
    assert resp.status_code == 302
    db.session.refresh(member)
    assert member.totp_enabled
    assert client.get("/konto").status_code == 200  # this session stays signed in

    other = app.test_client()
    resp = password_step(other, member)
    assert resp.location.endswith("/anmelden/zweiter-faktor")


def test_member_can_switch_second_factor_off_with_a_code(client, make_user, login, clock):
    member = make_user(totp=True)
    login(client, member)
    clock.advance(30)
    resp = post_form(
        client,
        "/konto/zweiter-faktor/aus",
        {"code": pyotp.TOTP(member.totp_secret).at(clock.now())},
        page_url="/konto/zweiter-faktor",
    )
    assert resp.status_code == 302
    db.session.refresh(member)
    assert not member.totp_enabled and member.totp_secret is None


def test_organizer_cannot_switch_second_factor_off(client, make_user, login, clock):
    organizer = make_user("organizer")
    login(client, organizer)
    clock.advance(30)
    resp = post_form(
        client,
        "/konto/zweiter-faktor/aus",
        {"code": pyotp.TOTP(organizer.totp_secret).at(clock.now())},
        page_url="/konto/zweiter-faktor",
    )
    assert resp.status_code == 403
    db.session.refresh(organizer)
    assert organizer.totp_enabled


def test_member_promoted_to_organizer_must_set_up_second_factor(
    app, client, make_user, login, clock
):
    member = make_user()
    login(client, member)
    admin = make_user("admin")
    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get("/verwaltung/personen").get_data(as_text=True)
    from tests.conftest import csrf_from

    resp = admin_client.post(
        f"/verwaltung/personen/{member.id}/rolle",
        data={f"u{member.id}-role": "organizer", "csrf_token": csrf_from(page)},
    )
    assert resp.status_code == 302
    # the member's old session ended: they sign in again and meet the setup
    assert client.get("/konto").status_code == 302
    resp = password_step(client, member)
    assert resp.location.endswith("/anmelden/zweiter-faktor/einrichten")


def test_signed_in_without_verified_factor_is_sent_to_the_step(client, make_user, login):
    """The before_request check, not each route: a session lacking the factor is stopped."""
    member = make_user()
    login(client, member)
    user = db.session.scalar(select(User).where(User.id == member.id))
    user.role = "organizer"  # changed behind the app's back, session still open
    db.session.commit()
    resp = client.get("/konto")
    assert resp.status_code == 302 and "/zweiter-faktor/einrichten" in resp.location
