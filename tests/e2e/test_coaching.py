"""Kollegiale Beratung in the browser: an organizer sets a session up through the form, the
moderator runs two phases by keyboard only while the case giver writes the key question — at
phone and laptop size, `check_page` on every page. Dates come from the server's clock.
PEERLAB_SHOTS=<folder> keeps full-page screenshots."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ["PEERLAB_SHOTS"]) if os.environ.get("PEERLAB_SHOTS") else None


def _shot(person, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def press(page, name: str) -> None:
    """Keyboard only: focus the button and press Enter."""
    button = page.get_by_role("button", name=name)
    button.focus()
    page.keyboard.press("Enter")


def test_set_up_and_run_two_phases_by_keyboard(visitor, live_users, window):
    orga = live_users.create("organizer", name="Olga Orga")
    giver = live_users.create("member", name="Gina Fall")
    mod = live_users.create("member", name="Moritz Mod")
    advisers = [live_users.create("member", name=f"Berater {i}") for i in range(3)]
    day = server_time(live_users.base_url).astimezone(ZoneInfo("Europe/Berlin")).date()
    day += timedelta(days=1)

    setter = visitor(**window)
    sign_in(setter, orga)
    page = setter.goto("/beratung/")
    setter.check_page(signed_in=True)
    page.locator("main").get_by_role("link", name="Beratung anlegen").click()
    setter.check_page(signed_in=True)
    _shot(setter, "coaching-form")
    main = page.locator("main")
    main.get_by_label("Titel").fill("Drohungen nach der Ratssitzung")
    main.get_by_label("Datum").fill(day.isoformat())
    main.get_by_label("Uhrzeit").fill("10:00")
    main.locator("#case_giver").select_option(str(giver.id))
    main.locator("#moderator").select_option(str(mod.id))
    for adviser in advisers:
        main.locator(f"input[name=advisers][value='{adviser.id}']").check()
    main.get_by_label("Hypothesen (Minuten)").fill("12")
    main.get_by_role("button", name="Beratung anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drohungen nach der Ratssitzung")
    expect(main).to_contain_text("keine Inhalte")
    expect(main).to_contain_text("12 Minuten")
    setter.check_page(signed_in=True)
    path = re.sub(r"^https?://[^/]+", "", page.url)

    moderator = visitor(**window)
    sign_in(moderator, mod)
    board = moderator.goto(path)
    expect(board.locator("#co-controls")).to_be_visible()
    moderator.check_page(signed_in=True)
    press(board, "Beratung starten")
    expect(board.locator("#co-phase-title")).to_have_text("Jetzt: Rollen klären")
    expect(board.locator("#co-clock")).to_have_text(re.compile(r"0[45]:\d\d"))
    press(board, "Nächste Phase")
    expect(board.locator("#co-phase-title")).to_have_text("Jetzt: Fallerzählung")
    expect(board.locator("#co-writers")).to_contain_text("Fallgebende Person")
    moderator.check_page(signed_in=True)

    case = visitor(**window)
    sign_in(case, giver)
    mine = case.goto(path)
    expect(mine.locator("main")).to_contain_text("Namen und Orte weg")
    expect(mine.locator("#co-phase-title")).to_have_text("Jetzt: Fallerzählung")
    mine.get_by_label("Meine Schlüsselfrage").fill("Wie schütze ich mein Team?")
    mine.get_by_label("Meine Schlüsselfrage").press("Enter")
    expect(board.locator("#co-key-text")).to_have_text("Wie schütze ich mein Team?")
    case.check_page(signed_in=True)
    _shot(case, "coaching-case-giver")

    press(board, "Nächste Phase")
    expect(board.locator("#co-phase-title")).to_have_text("Jetzt: Schlüsselfrage")
    expect(mine.locator("#co-phase-title")).to_have_text("Jetzt: Schlüsselfrage")
    moderator.check_page(signed_in=True)
    _shot(moderator, "coaching-moderator")

    # The end asks first (in-page dialog, focus on "Abbrechen"), then the case giver's page
    # says what happened and leads to what they kept.
    press(board, "Beratung beenden und löschen")
    dialog = board.locator("#co-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Abbrechen")).to_be_focused()
    board.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Beenden und löschen")).to_be_focused()
    board.keyboard.press("Enter")
    expect(mine.locator("#co-status")).to_contain_text("Die Beratung ist beendet")
    mine.locator("#co-status").get_by_role("link").click()
    mine.locator("main").get_by_role("link", name="Drohungen nach der Ratssitzung").click()
    expect(mine.locator("main")).to_contain_text("Wie schütze ich mein Team?")
    case.check_page(signed_in=True)
    _shot(case, "coaching-keep")
    assert moderator.goto(path, status=404)
