"""Account journeys in a real browser: every page accessible, private and on our own origin."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.harness import (
    assert_focus_visible,
    links_in_mail,
    server_time,
    sign_in,
    submit_password,
)

pytestmark = pytest.mark.browser

FOOTER_LINKS = ("Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit")


def expect_signed_in(person) -> None:
    person.open_menu()  # on a phone, "Abmelden" is in the header's menu
    expect(person.page.get_by_role("button", name="Abmelden")).to_be_visible()
    person.close_menu()


def expect_signed_out(page) -> None:
    expect(
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Anmelden")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)


def test_public_pages_are_accessible_and_private(visitor):
    person = visitor()
    for path in (
        "/",
        "/anmelden",
        "/anmelden/link",
        "/passwort-vergessen",
        "/anmelden/post-pruefen?art=link",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
    ):
        page = person.goto(path)
        footer = page.get_by_role("navigation", name="Rechtliches")
        for name in FOOTER_LINKS:
            expect(footer.get_by_role("link", name=name)).to_be_visible()
        person.check_page()
    person.goto("/gibt-es-nicht", status=404)
    expect(person.page.get_by_role("heading", level=1)).to_be_visible()
    person.check_page()


def test_sign_in_with_password(visitor, live_users, window):
    user = live_users.create("member")
    person = visitor(**window)
    person.goto("/anmelden")
    person.check_page()
    main = person.page.get_by_role("main")
    main.get_by_label("E-Mail-Adresse").fill(user.email)
    main.get_by_label("Passwort", exact=True).fill("falsches-passwort-123")
    main.get_by_role("button", name="Anmelden").click()
    expect(person.page.get_by_role("alert")).to_contain_text("falsch")
    person.check_page()  # the error state is accessible too
    main.get_by_label("Passwort", exact=True).fill(user.password)
    main.get_by_role("button", name="Anmelden").click()
    person.page.wait_for_url(person.url("/"))
    expect_signed_in(person)
    expect(person.page.get_by_role("heading", level=1)).to_contain_text(user.name)
    person.check_page(signed_in=True)


def test_sign_in_with_link_from_mail(visitor, live_users, smtp_server, live):
    user = live_users.create("member")
    person = visitor()
    page = person.goto("/anmelden")
    page.get_by_role("link", name="Anmeldelink per E-Mail anfordern").click()
    page.wait_for_url(re.compile(r"/anmelden/link$"))
    page.get_by_role("main").get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_role("button", name="Link schicken").click()
    page.wait_for_url(re.compile(r"/anmelden/post-pruefen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    person.check_page()

    (mail,) = smtp_server.recorder.wait_for(user.email)
    links = [u for u in links_in_mail(mail, live.url) if "/anmelden/link/" in u]
    assert links, "the sign-in mail has no link to peerlab"
    link = links[0]

    # Opening the link (as a mail scanner would) signs nobody in and does not use it up.
    page.goto(link)
    expect(page.get_by_role("button", name="Jetzt anmelden")).to_be_visible()
    expect_signed_out(page)
    person.check_page()
    page.goto(link)
    page.get_by_role("button", name="Jetzt anmelden").click()
    page.wait_for_url(person.url("/"))
    expect_signed_in(person)
    person.check_page(signed_in=True)

    # Used once: the same link in another browser is refused with a readable page.
    other = visitor()
    response = other.page.goto(link)
    assert response is not None and response.status >= 400
    expect(other.page.get_by_role("button", name="Jetzt anmelden")).to_have_count(0)
    other.check_page()


def test_sign_in_with_two_factors(visitor, live_users):
    user = live_users.create("organizer", totp=True)
    person = visitor()
    page = person.goto("/anmelden")
    submit_password(page, user.email, user.password)
    page.wait_for_url(re.compile(r"/anmelden/zweiter-faktor$"))
    expect_signed_out(page)  # the password alone signs nobody in
    person.check_page()

    code = page.get_by_label("Sechsstelliger Code aus Ihrer App")
    right = user.totp_at(server_time(person.base_url))
    code.fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    person.check_page()  # the error state is accessible too

    code.fill(user.totp_at(server_time(person.base_url)))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(person.url("/"))
    expect_signed_in(person)
    person.check_page(signed_in=True)


def test_organizer_without_second_factor_must_set_it_up(visitor, live_users):
    user = live_users.create("organizer", totp=False)
    person = visitor()
    page = person.goto("/anmelden")
    submit_password(page, user.email, user.password)
    page.wait_for_url(re.compile(r"/anmelden/zweiter-faktor/einrichten$"))
    person.check_page()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Sechsstelliger Code aus Ihrer App").fill(
        pyotp.TOTP(secret).at(server_time(person.base_url))
    )
    page.get_by_role("button", name="Einrichten").click()
    page.wait_for_url(person.url("/"))
    expect_signed_in(person)
    person.check_page(signed_in=True)


def test_switch_language_on_every_page(visitor, live_users):
    person = visitor()
    page = person.goto("/anmelden")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.url == person.url("/anmelden"), "the switch stays on the same page"
    person.check_page()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")

    # Signed in, the choice is kept in the profile: a new browser session shows English too.
    user = live_users.create("member")
    sign_in(person, user)
    person.page.get_by_role("button", name="English").click()
    expect(person.page.locator("html")).to_have_attribute("lang", "en")
    person.check_page(signed_in=True)
    again = visitor()
    sign_in_english = again.goto("/anmelden")
    submit_password(sign_in_english, user.email, user.password)
    again.page.wait_for_url(again.url("/"))
    expect(again.page.locator("html")).to_have_attribute("lang", "en")
    expect(again.page.get_by_role("button", name="Deutsch")).to_be_visible()
    expect(again.page.get_by_role("button", name="Sign out")).to_be_visible()
    again.check_page(signed_in=True)


def test_sign_out_ends_the_session_on_the_server(visitor, live_users, browser, live):
    user = live_users.create("member")
    person = visitor()
    sign_in(person, user)
    copied = person.session_cookie()
    assert copied is not None

    person.page.get_by_role("button", name="Abmelden").click()
    person.page.wait_for_url(person.url("/"))
    expect(person.page.get_by_role("status").first).to_contain_text("abgemeldet")
    expect_signed_out(person.page)
    person.check_page()

    # The cookie copied before signing out opens nothing any more.
    thief = visitor()
    thief.context.add_cookies([copied])
    thief.goto("/")
    expect_signed_out(thief.page)
    thief.goto("/konto")
    assert "/anmelden" in thief.page.url


def test_signed_in_pages_are_accessible_and_private(visitor, live_users, window):
    member = live_users.create("member")
    person = visitor(**window)
    sign_in(person, member)
    for path in (
        "/",
        "/konto",
        "/konto/passwort",
        "/konto/email",
        "/konto/zweiter-faktor",
        "/konto/loeschen",
    ):
        person.goto(path)
        expect(person.page.get_by_role("heading", level=1)).to_be_visible()
        person.check_page(signed_in=True)

    organizer = live_users.create("organizer")
    staff = visitor(**window)
    sign_in(staff, organizer)
    for path in ("/verwaltung/einladen", "/verwaltung/personen"):
        staff.goto(path)
        expect(staff.page.get_by_role("heading", level=1)).to_be_visible()
        staff.check_page(signed_in=True)

    admin = live_users.create("admin")
    boss = visitor(**window)
    sign_in(boss, admin)
    for path in (
        "/verwaltung/personen",
        "/verwaltung/protokoll",
        f"/verwaltung/personen/{member.id}/entfernen",
    ):
        boss.goto(path)
        expect(boss.page.get_by_role("heading", level=1)).to_be_visible()
        boss.check_page(signed_in=True)


def test_invitation_password_reset_and_email_change_pages(visitor, live_users, smtp_server, live):
    organizer = live_users.create("organizer")
    staff = visitor()
    sign_in(staff, organizer)
    invited = f"eingeladen-{organizer.id}@kommune.example"
    page = staff.goto("/verwaltung/einladen")
    page.get_by_label("E-Mail-Adressen").fill(invited)
    page.get_by_role("main").get_by_role("button").last.click()
    expect(page.get_by_role("status").first).to_be_visible()
    staff.check_page(signed_in=True)

    (mail,) = smtp_server.recorder.wait_for(invited)
    link = next(u for u in links_in_mail(mail, live.url) if "/einladung/" in u)
    newcomer = visitor()
    newcomer.page.goto(link)
    expect(newcomer.page.get_by_role("heading", level=1)).to_be_visible()
    newcomer.check_page()

    member = live_users.create("member")
    person = visitor()
    page = person.goto("/passwort-vergessen")
    page.get_by_role("main").get_by_label("E-Mail-Adresse").fill(member.email)
    page.get_by_role("main").get_by_role("button").last.click()
    page.wait_for_url(re.compile(r"/anmelden/post-pruefen"))
    (mail,) = smtp_server.recorder.wait_for(member.email)
    link = next(u for u in links_in_mail(mail, live.url) if "/passwort-neu/" in u)
    person.page.goto(link)
    expect(person.page.get_by_role("heading", level=1)).to_be_visible()
    person.check_page()


def test_keyboard_focus_is_visible_on_every_control(visitor, live_users):
    person = visitor()
    for path in ("/", "/anmelden", "/barrierefreiheit"):
        person.goto(path)
        assert_focus_visible(person.page)
    sign_in(person, live_users.create("member"))
    for path in ("/", "/konto"):
        person.goto(path)
        assert_focus_visible(person.page)


def test_email_change_is_confirmed_at_the_new_address(visitor, live_users, smtp_server, live):
    member = live_users.create("member")
    person = visitor()
    sign_in(person, member)
    page = person.goto("/konto/email")
    new_address = f"neu-{member.id}@kommune.example"
    page.get_by_label("Neue E-Mail-Adresse").fill(new_address)
    page.get_by_label("Passwort zur Bestätigung").fill(member.password)
    page.get_by_role("main").get_by_role("button").last.click()
    page.wait_for_url(re.compile(r"/anmelden/post-pruefen\?art=email"))
    person.check_page(signed_in=True)
    (mail,) = smtp_server.recorder.wait_for(new_address)
    link = next(u for u in links_in_mail(mail, live.url) if "/konto/email/" in u)
    page.goto(link)
    expect(page.get_by_role("main")).to_contain_text(new_address)
    person.check_page(signed_in=True)
    page.get_by_role("main").get_by_role("button").last.click()
    expect(page.get_by_role("status").first).to_contain_text(new_address)
    person.check_page(signed_in=True)


def test_forbidden_page_is_accessible(visitor, live_users):
    person = visitor()
    sign_in(person, live_users.create("member"))
    person.goto("/verwaltung/protokoll", status=403)
    expect(person.page.get_by_role("heading", level=1)).to_be_visible()
    person.check_page(signed_in=True)


def test_demo_mailbox_without_smtp_shows_only_own_mail(visitor, offline_users, live_offline):
    owner = offline_users.create("member")
    stranger = offline_users.create("member")
    # Signed out, the owner asks for a sign-in link; without SMTP it lands in the demo mailbox.
    requester = visitor(server=live_offline)
    page = requester.goto("/anmelden/link")
    page.get_by_role("main").get_by_label("E-Mail-Adresse").fill(owner.email)
    page.get_by_role("button", name="Link schicken").click()
    page.wait_for_url(re.compile(r"/anmelden/post-pruefen"))
    expect(page.get_by_role("main")).to_contain_text("Demo-Postfach")
    requester.check_page()
    live_offline.run_due()  # the sender job delivers now instead of within its interval

    person = visitor(server=live_offline)
    sign_in(person, owner)
    person.page.get_by_role("link", name="Demo-Postfach").click()
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Demo-Postfach")
    person.check_page(signed_in=True)
    person.page.locator("main .pl-list a").first.click()
    expect(person.page.get_by_role("main")).to_contain_text("/anmelden/link/")
    person.check_page(signed_in=True)
    mail_url = person.page.url

    other = visitor(server=live_offline)
    sign_in(other, stranger)
    other.page.get_by_role("link", name="Demo-Postfach").click()
    expect(other.page.get_by_role("main")).to_contain_text("Keine Mails.")
    other.check_page(signed_in=True)
    response = other.page.goto(mail_url)
    assert response is not None and response.status == 404
