"""Issue 8's words in the browser: a guest is marked in the reader's language on the board,
the anonymity hint is one true sentence with its page "Wie anonym ist anonym?" (public, linked
from the footer), on a phone and a desktop. Screenshots go to /tmp/shots-words/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import create_round, topic_card, wait_connected

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("PEERLAB_SHOTS", "/tmp/shots-words"))
TRUE_SENTENCE = "Andere Teilnehmende und die Moderation sehen nicht, von wem das Thema stammt."


def shot(person, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = person.page.viewport_size["width"]
    person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_anonymity_page_is_public_and_linked_from_the_footer(visitor, width, height):
    reader = visitor(width=width, height=height)
    page = reader.goto("/")
    page.locator("footer").get_by_role("link", name="Wie anonym ist anonym?").click()
    page.wait_for_url(re.compile(r"/anonymitaet$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie anonym ist anonym?")
    for part in ("Wiedererkennbar", "Unverknüpfbar", "Lean Coffee: anonyme Themen"):
        expect(page.locator("main")).to_contain_text(part)
    reader.check_page()
    shot(reader, "anonymity")
    if width == 1366:
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("How anonymous is anonymous?")
        reader.check_page()


def test_a_guest_is_marked_in_each_readers_language(visitor, live_users):
    organizer = live_users.create("organizer", name="Olaf Ortmann")
    member = live_users.create("member", name="Erin English")
    lead = visitor(width=1366, height=768)
    sign_in(lead, organizer)
    round_id = create_round(lead, member.name)
    wait_connected(lead)
    # The add-topic form's hint: the one true sentence and the page behind it, nothing more.
    note = lead.page.locator("#lc-anonymity-note")
    expect(note).to_have_text(f"{TRUE_SENTENCE} Wie anonym ist anonym?")
    expect(note.get_by_role("link", name="Wie anonym ist anonym?")).to_have_attribute(
        "href", "/anonymitaet"
    )
    join_url = lead.page.locator("#lc-join-url").input_value()

    guest = visitor(width=390, height=844)
    gpage = guest.page
    gpage.goto(join_url)
    gpage.get_by_label("Ihr Name für diese Runde").fill("Gustav")
    gpage.get_by_role("button", name="Als Gast teilnehmen").click()
    gpage.wait_for_url(re.compile(rf"/runden/{round_id}$"))
    wait_connected(guest)
    expect(gpage.locator(".lc-meta")).to_contain_text("Sie sind hier als Gustav (Gast).")
    form = gpage.locator("#lc-add-form")
    form.get_by_label("Thema", exact=True).fill("Vom Gast")
    form.get_by_role("button", name="Thema hinzufügen").click()

    mate = visitor(width=390, height=844)
    sign_in(mate, member)
    mate.goto(f"/runden/{round_id}")
    mate.open_menu()  # on a phone the language switch is in the header's menu
    mate.page.get_by_role("button", name="English").click()
    expect(mate.page.locator("html")).to_have_attribute("lang", "en")
    wait_connected(mate)
    expect(topic_card(mate.page, "Vom Gast")).to_contain_text("Gustav (guest)")
    expect(topic_card(mate.page, "Vom Gast")).not_to_contain_text("Gast)")
    expect(mate.page.locator("#lc-anonymity-note")).to_contain_text(
        "Other participants and the facilitators do not see who suggested the topic."
    )
    mate.check_page(signed_in=True)
    shot(mate, "board-en")
    expect(topic_card(lead.page, "Vom Gast")).to_contain_text("Gustav (Gast)")
    lead.check_page(signed_in=True)
    shot(lead, "board-de")
    # The summary and its download link speak plainly at both sizes.
    for person in (lead, mate):
        person.goto(f"/runden/{round_id}/zusammenfassung")
        person.check_page(signed_in=True)
        shot(person, "summary")
    expect(lead.page.get_by_role("link", name="Als Textdatei herunterladen")).to_be_visible()
    expect(mate.page.get_by_role("link", name="Download as a text file")).to_be_visible()


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_reworded_pages_pass_the_checks_at_both_sizes(visitor, live_users, width, height):
    admin = live_users.create("admin", name="Ada Admin")
    live_users.create("member", name="Mia Mitglied")
    person = visitor(width=width, height=height)
    sign_in(person, admin)
    for path, name in (
        ("/", "dashboard"),
        ("/konto", "profile"),
        ("/kalender/", "calendar"),
        ("/verwaltung/personen", "people"),
        ("/runden/neu", "round-form"),
    ):
        page = person.goto(path)
        person.check_page(signed_in=True)
        shot(person, name)
        assert "Europe/Berlin" not in page.locator("main").inner_text()
    page = person.goto("/kalender/")
    page.get_by_role("button", name="Abo-Link erstellen").click()
    expect(page.get_by_label("Für Outlook im Web und Google Kalender")).to_be_visible()
    expect(page.get_by_role("link", name="In Ihrem Kalenderprogramm öffnen")).to_be_visible()
    person.check_page(signed_in=True)
    shot(person, "calendar-links")
    page = person.goto("/konto")
    expect(page.get_by_label("Zeitzone")).to_have_value("Europe/Berlin")
    expect(page.locator("#timezone option").first).to_have_text("Deutschland (Berlin)")
    person.goto("/verwaltung/personen")
    expect(person.page.locator("main")).to_contain_text("Teilnahme")
