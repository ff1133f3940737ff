"""Working-Out-Loud circle in the browser: start, invite, accept, goal with the word counter,
check in — at phone and laptop size, `check_page` on every page. Dates come from the server's
clock. PEERLAB_SHOTS=<folder> keeps full-page screenshots of the circle page."""

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


def test_start_invite_accept_goal_and_check_in(visitor, live_users, window):
    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    start = server_time(live_users.base_url).astimezone(ZoneInfo("Europe/Berlin")).date()
    start += timedelta(days=2)

    first = visitor(**window)
    sign_in(first, anna)
    page = first.goto("/circles/")
    first.check_page(signed_in=True)
    page.locator("main").get_by_role("link", name="Circle starten").click()
    first.check_page(signed_in=True)
    main = page.locator("main")
    main.get_by_label("Name des Circles").fill("Bürgerdienste digital")
    main.get_by_label("Wochentag").select_option(label="Donnerstag")
    main.get_by_label("Uhrzeit").fill("18:00")
    main.get_by_label("Startdatum").fill(start.isoformat())
    main.get_by_label("Link zum Videoraum").fill("https://meet.example.org/buergerdienste")
    main.locator(f"input[name=invitees][value='{ben.id}']").check()  # names repeat per window
    main.get_by_role("button", name="Circle anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bürgerdienste digital")
    expect(main).to_contain_text("Treffen 1 von 12")
    first.check_page(signed_in=True)
    circle_path = re.sub(r"^https?://[^/]+", "", page.url)

    second = visitor(**window)
    sign_in(second, ben)
    page2 = second.goto("/circles/")
    page2.locator("main").get_by_role("link", name="Bürgerdienste digital").click()
    expect(page2.locator("main")).to_contain_text("Anna Amsel")
    expect(page2.locator("main")).to_contain_text("Donnerstag")
    second.check_page(signed_in=True)
    page2.get_by_role("button", name="Zusagen").click()
    expect(page2.get_by_role("heading", level=1)).to_have_text("Bürgerdienste digital")
    second.check_page(signed_in=True)

    # Anna: the goal with its word counter (a hint over 25 words, saving still works)
    page.locator("main").get_by_role("link", name="Mein Ziel").click()
    first.check_page(signed_in=True)
    goal = page.get_by_label("Mein Ziel", exact=True)
    goal.fill("Drei Kommunen kennenlernen")
    expect(page.locator("#ziel-count")).to_have_text("3 Wörter")
    goal.fill(" ".join(["Wort"] * 27))
    expect(page.locator("#ziel-count")).to_contain_text("Mehr als 25 Wörter")
    expect(page.locator("#ziel-live")).to_contain_text("27 Wörter", timeout=5000)
    first.check_page(signed_in=True)
    _shot(first, "circle-goal")
    page.get_by_role("button", name="Ziel speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Ihr Ziel ist gespeichert")
    first.check_page(signed_in=True)  # the private workspace, where the goal lives
    page.locator("main").get_by_label("Person oder Organisation").fill("Amt für Digitales")
    page.locator("main").get_by_role("button", name="Beziehung eintragen").click()
    expect(page.get_by_role("region", name="Beziehungen")).to_contain_text("Amt für Digitales")
    first.check_page(signed_in=True)
    _shot(first, "circle-workspace")

    first.goto(circle_path)
    page.locator("main").get_by_role("link", name="Check-in für Treffen 1 schreiben").click()
    first.check_page(signed_in=True)
    page.get_by_label("Was ist seit dem letzten Treffen passiert?").fill(
        "Mit dem Bauamt gesprochen"
    )
    page.get_by_label("Mein nächster Schritt").fill("Kiel anrufen")
    page.get_by_role("button", name="Check-in speichern").click()
    expect(page.locator("main")).to_contain_text("Mit dem Bauamt gesprochen")
    first.check_page(signed_in=True)
    _shot(first, "circle-page")

    # Ben sees Anna's check-in and that she checked in
    second.goto(circle_path)
    expect(second.page.locator("main")).to_contain_text("Kiel anrufen")
    expect(second.page.locator("main .pl-circle-members")).to_contain_text("eingecheckt")


def test_a_running_circle_shows_its_history(visitor, live_users, window):
    """The demo seeder's circle (three meetings behind, dates from the server's clock)."""
    from peerlab.accounts.models import User
    from peerlab.circles import demo
    from peerlab.extensions import db

    people = [live_users.create("member", name=f"Mitglied {n}") for n in range(3)]
    now = server_time(live_users.base_url)  # before the database is opened here
    with live_users.app_context():
        users = {p.email: db.session.get(User, p.id) for p in people}
        demo.seed(users, now)
        db.session.commit()
        db.session.remove()
    person = visitor(**window)
    sign_in(person, people[1])
    page = person.goto("/circles/")
    page.locator("main").get_by_role("link", name="Digitale Bürgerdienste").last.click()
    main = page.locator("main")
    expect(main).to_contain_text("Treffen 4 von 12")
    history = main.locator("details", has_text="Treffen 3:")
    history.locator("summary").click()
    expect(history).to_contain_text("Im Intranet eine kurze Notiz")
    person.check_page(signed_in=True)
    _shot(person, "circle-running")
