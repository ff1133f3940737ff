"""The shell in the browser, at 1366×768 and 390×844: "Jetzt teilnehmen" on the dashboard and
the invitation page, "Link teilen" (copy with a spoken confirmation, QR code) on the round page,
my next dates on the Kalender page, the landing page with the registered formats only.

With PEERLAB_SHOTS=<folder> the test also saves a screenshot of each page."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def shot(person, name: str) -> None:
    folder = os.environ.get("PEERLAB_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        person.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def no_sideways_scroll(person) -> None:
    wide = person.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert wide, "the page scrolls sideways"


def round_soon(live_users, organizer, member, *, access: str) -> int:
    """A round starting in 5 minutes (server clock), the member invited by calendar."""
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.lean_coffee import calendar_source
    from peerlab.lean_coffee.service import rounds

    now = server_time(live_users.base_url)
    with live_users.app.test_request_context(base_url=live_users.base_url):
        orga, person = db.session.get(User, organizer.id), db.session.get(User, member.id)
        rnd = rounds.create_round(
            rounds.RoundSettings(
                title="Wärmeplanung im Verbund",
                starts_at=now + timedelta(minutes=5),
                access=access,
            ),
            creator=orga,
            invitees=[person],
            now=now,
        )
        calendar_source.invite_all(rnd, organizer=orga, now=now)
        db.session.commit()
        round_id = rnd.id
        db.session.remove()
    return round_id


@pytest.mark.parametrize("size", SIZES)
def test_join_share_and_calendar_pages(visitor, live_users, size):
    width, height = SIZES[size]
    organizer = live_users.create("organizer", name="Olga Ortmann")
    member = live_users.create("member", name="Miriam Lindner")
    round_id = round_soon(live_users, organizer, member, access="link")

    person = visitor(width=width, height=height)
    page = person.goto("/")
    expect(page.get_by_role("heading", name="Formate")).to_be_visible()
    person.check_page()
    no_sideways_scroll(person)
    shot(person, f"landing-{size}")

    sign_in(person, member)
    dates = page.get_by_role("region", name="Meine nächsten Termine")
    named = re.compile(r"^Jetzt teilnehmen\W+Wärmeplanung im Verbund")
    expect(dates.get_by_role("link", name=named)).to_be_visible()
    person.check_page(signed_in=True)
    no_sideways_scroll(person)
    shot(person, f"dashboard-{size}")

    page = person.goto("/kalender/")
    upcoming = page.get_by_role("region", name="Meine nächsten Termine")
    title = "Lean Coffee: Wärmeplanung im Verbund"
    expect(upcoming.get_by_role("link", name=title)).to_be_visible()
    person.check_page(signed_in=True)
    no_sideways_scroll(person)
    shot(person, f"calendar-{size}")

    page.get_by_role("region", name="Meine Einladungen").get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Jetzt teilnehmen")).to_be_visible()
    person.check_page(signed_in=True)
    shot(person, f"invitation-{size}")
    page.get_by_role("link", name="Jetzt teilnehmen").click()
    page.wait_for_url(person.url(f"/runden/{round_id}"))

    lead = visitor(width=width, height=height, permissions=["clipboard-read", "clipboard-write"])
    sign_in(lead, organizer)
    page = lead.goto(f"/runden/{round_id}")
    box = page.get_by_role("region", name="Link teilen")
    expect(box).to_be_visible()
    field = box.get_by_label("Link für Gäste")
    expect(field).to_have_value(
        re.compile(rf"{re.escape(lead.base_url)}/runden/{round_id}/beitreten/[0-9a-f]+")
    )
    qr = box.get_by_role("img")
    expect(qr).to_have_attribute("alt", re.compile("^QR-Code"))
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    box.get_by_role("button", name="Link kopieren").click()
    expect(box.get_by_role("status")).to_have_text("Link kopiert")
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
    lead.check_page(signed_in=True)
    no_sideways_scroll(lead)
    shot(lead, f"round-share-{size}")

    # The box follows the facilitator's link tools: a renewed link replaces the old one (and its
    # QR code), a revoked link leaves nothing to share.
    old_link = field.input_value()
    page.get_by_role("button", name="Neuen Link erzeugen").click()
    expect(field).not_to_have_value(old_link)
    expect(qr).to_have_attribute("src", re.compile(r"teilen\.svg\?v="))
    page.get_by_role("button", name="Link sperren").click()
    expect(box).to_be_hidden()


def test_join_and_share_in_english(visitor, live_users):
    organizer = live_users.create("organizer", name="Olivia Owens")
    member = live_users.create("member", name="Mia Miller")
    round_id = round_soon(live_users, organizer, member, access="invited")

    person = visitor(width=1366, height=768)
    sign_in(person, member)
    person.page.get_by_role("button", name="English").click()  # stays the account's language
    dates = person.page.get_by_role("region", name="My next dates")
    expect(dates.get_by_role("link", name=re.compile(r"^Join now\W+Wärmeplanung"))).to_be_visible()
    person.check_page(signed_in=True)

    lead = visitor(width=1366, height=768, permissions=["clipboard-read", "clipboard-write"])
    sign_in(lead, organizer)
    lead.page.get_by_role("button", name="English").click()
    page = lead.goto(f"/runden/{round_id}")
    box = page.get_by_role("region", name="Share link")
    own_address = f"{lead.base_url}/runden/{round_id}"
    expect(box.get_by_label("Link to the round")).to_have_value(own_address)
    box.get_by_role("button", name="Copy link").click()
    expect(box.get_by_role("status")).to_have_text("Link copied")
    lead.check_page(signed_in=True)
