"""An impulse series in the browser: the organizer creates it from a rule, a leader registers
for the whole series, a second person waits and moves up when the first gives the date back.
With PEERLAB_SHOTS=<folder> the test keeps a screenshot of each page."""

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


def _shoot(person, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_series_from_a_rule_register_wait_and_move_up(visitor, live_users, window):
    orga = live_users.create("organizer", name="Olga Orga")
    anna = live_users.create("member", name="Anna Amsel", municipality="Neustadt")
    ben = live_users.create("member", name="Ben Berg", municipality="Altdorf")
    title = f"Kurzimpulse {os.urandom(3).hex()}"
    first_day = (server_time(live_users.base_url) + timedelta(days=7)).astimezone(
        ZoneInfo("Europe/Berlin")
    )

    organizer = visitor(**window)
    sign_in(organizer, orga)
    page = organizer.goto("/impulse/neu")
    organizer.check_page(signed_in=True)
    main = page.locator("main")
    main.get_by_label("Titel", exact=True).fill(title)
    main.get_by_label("Plätze pro Termin").fill("1")
    main.get_by_label(re.compile("^Link zum Videoraum")).fill("https://meet.example.org/kurz")
    _shoot(organizer, "impulses-new")
    main.get_by_role("button", name="Reihe anlegen").click()
    expect(page.get_by_role("heading", name="Termine nach Regel anlegen")).to_be_visible()
    organizer.check_page(signed_in=True)
    main.get_by_label("Thema aller Termine").fill("Wärmeplanung kompakt")
    main.get_by_label("Erster möglicher Tag").fill(first_day.date().isoformat())
    main.get_by_label("Beginn (Uhrzeit in Deutschland)").fill("08:00")
    main.get_by_label("Jede zweite Woche am Wochentag des ersten Tags").check()
    main.get_by_label("Anzahl der Termine").fill("3")
    _shoot(organizer, "impulses-rule")
    main.get_by_role("button", name="Termine anlegen").click()
    expect(page.get_by_text("3 Termine angelegt.")).to_be_visible()
    expect(main.locator("li[id^=termin-]")).to_have_count(3)
    organizer.check_page(signed_in=True)
    series_url = page.url

    first = visitor(**window)
    sign_in(first, anna)
    page_a = first.goto(series_url.removeprefix(live_users.base_url))
    first.check_page(signed_in=True)
    page_a.get_by_role("button", name="Für die ganze Reihe anmelden").click()
    expect(page_a.get_by_text("Sie sind für alle offenen Termine angemeldet.")).to_be_visible()
    expect(page_a.get_by_text("Ihr Platz ist bestätigt.")).to_have_count(3)
    expect(page_a.get_by_role("button", name="Für die ganze Reihe anmelden")).to_have_count(0)
    _shoot(first, "impulses-series-registered")
    first.check_page(signed_in=True)

    second = visitor(**window)
    sign_in(second, ben)
    page_b = second.goto(series_url.removeprefix(live_users.base_url))
    dates_b = page_b.locator("main li[id^=termin-]")
    expect(dates_b.first).to_contain_text("Ausgebucht")
    expect(page_b.locator("main")).not_to_contain_text("Anna Amsel")
    dates_b.first.get_by_role("button", name="Für diesen Termin anmelden").click()
    full = "Der Termin ist voll. Sie stehen auf der Warteliste."
    expect(page_b.get_by_text(full)).to_be_visible()
    second.check_page(signed_in=True)

    page_a.reload()
    page_a.locator("main li[id^=termin-]").first.get_by_role(
        "button", name="Ich kann diesmal nicht"
    ).click()
    expect(page_a.get_by_text("Ihr Platz für diesen Termin ist freigegeben.")).to_be_visible()
    expect(page_a.get_by_text("Ihr Platz ist bestätigt.")).to_have_count(2)

    page_b.reload()
    expect(page_b.locator("main li[id^=termin-]").first).to_contain_text("Ihr Platz ist bestätigt.")
    _shoot(second, "impulses-moved-up")
    second.check_page(signed_in=True)
    second.goto("/")
    expect(second.page.locator("main")).to_contain_text(f"{title}: Wärmeplanung kompakt")
    _shoot(second, "impulses-dashboard")
    second.check_page(signed_in=True)
    second.goto("/impulse/")
    expect(second.page.get_by_role("link", name=title)).to_be_visible()
    _shoot(second, "impulses-index")
    second.check_page(signed_in=True)

    organizer.page.reload()
    organizer.page.locator("main li[id^=termin-]").first.get_by_role(
        "link", name="Teilnehmende"
    ).click()
    expect(organizer.page.locator("main")).to_contain_text("Ben Berg (Altdorf)")
    expect(organizer.page.locator("main")).to_contain_text("Niemand wartet.")
    _shoot(organizer, "impulses-participants")
    organizer.check_page(signed_in=True)
