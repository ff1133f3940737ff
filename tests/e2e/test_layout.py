"""The pages of issue 8 on a phone (390×844) and a laptop (1366×768), and once in English:
forms built from KERN's fieldset/check patterns, the people list and the calendar page without
sideways scrolling, and a header that stays small on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import (
    WINDOWS,
    Visitor,
    assert_buttons_hold_their_labels,
    assert_focus_visible,
    assert_form_layout,
    sign_in,
)
from tests.e2e.lean_coffee_board import create_round, tab_to

pytestmark = pytest.mark.browser


def test_new_round_form(visitor, live_users, window):
    organizer = live_users.create("organizer")
    member = live_users.create("member", name=f"Frieda Formular ({window['width']})")
    lead = visitor(**window)
    sign_in(lead, organizer)
    page = lead.goto("/runden/neu")
    lead.check_page(signed_in=True)
    assert_form_layout(page)
    # The error state keeps the layout (an invitee check box list, an empty title).
    page.get_by_role("button", name="Runde anlegen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    lead.check_page(signed_in=True)
    assert_form_layout(page)
    round_id = create_round(lead, member)
    # The board's own check box ("Anonym einreichen") is KERN's too.
    anonymous = lead.page.locator("#lc-add-anonymous")
    expect(anonymous).to_be_visible()
    size = anonymous.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24, f"the board's check box: {size}"
    page = lead.goto(f"/runden/{round_id}/bearbeiten")
    expect(page.get_by_label(re.compile("^Zusätzlich alle mit dem Link"))).to_be_checked()
    lead.check_page(signed_in=True)
    assert_form_layout(page)


def test_people_list_fits_the_window(visitor, live_users, window):
    admin = live_users.create("admin")
    people = [
        live_users.create(
            "member",
            name=f"Dr. Maximiliane Mustermann-Überlänge {n}",
            municipality="Stadtverwaltung Recklinghausen, Fachbereich Digitalisierung",
        )
        for n in range(3)
    ]
    boss = visitor(**window)
    sign_in(boss, admin)
    page = boss.goto("/verwaltung/personen")
    boss.check_page(signed_in=True)  # includes: nothing scrolls sideways
    table = page.get_by_role("table", name=re.compile("^Personen"))
    expect(table.get_by_role("columnheader", name="E-Mail-Adresse")).to_have_count(1)
    row = table.get_by_role("row").filter(has_text=people[0].email)
    expect(row.get_by_role("combobox")).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("^Entfernen"))).to_be_visible()


def test_calendar_copy_buttons_hold_their_label(visitor, live_users, window):
    member = live_users.create("member")
    person = visitor(**window)
    sign_in(person, member)
    page = person.goto("/kalender/")
    page.get_by_role("button", name="Abo-Link erstellen").click()
    buttons = page.locator(".pl-ical-feed__copy")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_be_visible()
    person.check_page(signed_in=True)
    assert_buttons_hold_their_labels(page, ".pl-ical-feed__copy")  # "Kopieren" fits


def test_header_stays_small_and_its_menu_works_by_keyboard(visitor, live_users, window):
    member = live_users.create("member")
    person = visitor(**window)
    sign_in(person, member)
    page = person.goto("/")
    header = page.locator("header.pl-header")
    height = header.bounding_box()["height"]
    assert height < 120, f"the header is {height} px high"
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    menu_button = page.locator("#pl-menu > summary")
    if window == WINDOWS["desktop"]:
        expect(menu_button).to_be_hidden()
        expect(nav.get_by_role("link", name="Kalender")).to_be_visible()
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
        expect(page.get_by_role("button", name="English")).to_be_visible()
        person.check_page(signed_in=True)
        assert_focus_visible(page)
        return
    # The phone: one button; the menu opens and closes by keyboard and says whether it is open.
    expect(menu_button).to_be_visible()
    expect(nav.get_by_role("link", name="Kalender")).to_be_hidden()
    expect(page.get_by_role("button", name="Abmelden")).to_be_hidden()
    expect(menu_button).to_have_accessible_name("Menü")
    assert expanded_in_browser(page, "#pl-menu > summary") == (False, "DisclosureTriangle")
    tab_to(page, menu_button)
    page.keyboard.press("Enter")
    expect(page.locator("#pl-menu")).to_have_attribute("open", "")
    assert expanded_in_browser(page, "#pl-menu > summary") == (True, "DisclosureTriangle")
    expect(nav.get_by_role("link", name="Kalender")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    person.check_page(signed_in=True)  # the open menu too
    assert_focus_visible(page)  # the menu button and every entry show the focus
    # Tabbing out of the menu closed it; open it again, step in, and Escape closes it.
    expect(page.locator("#pl-menu")).not_to_have_attribute("open", "")
    tab_to(page, menu_button)
    page.keyboard.press("Enter")
    expect(page.locator("#pl-menu")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.locator("#pl-menu")).not_to_have_attribute("open", "")
    expect(menu_button).to_be_focused()
    # Open again and follow a link: the next page starts with the menu closed.
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Kalender").click()
    page.wait_for_url(re.compile(r"/kalender/$"))
    expect(page.get_by_role("button", name="Abmelden")).to_be_hidden()
    assert header.bounding_box()["height"] < 120
    # Without JavaScript the menu is a plain <details>: it still opens.
    plain = visitor(**window, java_script_enabled=False)
    plain.context.add_cookies([person.session_cookie()])
    plain.goto("/")
    plain.page.locator("#pl-menu > summary").click()
    expect(plain.page.get_by_role("button", name="Abmelden")).to_be_visible()


def expanded_in_browser(page: Page, selector: str) -> tuple[bool | None, str]:
    """The expanded state and role Chromium's own accessibility tree gives an element (what a
    screen reader hears; Playwright's role model does not know <summary>)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    finally:
        cdp.detach()
    own = ax["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in own.get("properties", [])}
    return props.get("expanded"), own["role"]["value"]


def test_the_pages_in_english_on_a_phone(visitor, live_users):
    admin = live_users.create("admin", language="en")
    person: Visitor = visitor(**WINDOWS["phone"])
    sign_in(person, admin)
    page = person.page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#pl-menu > summary")).to_have_accessible_name("Menu")
    for path in ("/", "/runden/neu", "/kalender/", "/verwaltung/personen", "/konto"):
        person.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        person.check_page(signed_in=True)
        if path == "/runden/neu":
            assert_form_layout(page)
    person.open_menu()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
