"""A circle's weekly meeting in the browser: open it from the circle page, the facilitator
starts it and runs two turns by keyboard alone, an absent member's check-in is read out, the
speaking time and the notes reach every screen — at phone and laptop size, `check_page` at
every stage. Dates come from the server's clock. PEERLAB_SHOTS=<folder> keeps screenshots."""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_focus_visible, server_time, sign_in
from tests.e2e.lean_coffee_board import assert_no_horizontal_scroll, press, type_into

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ["PEERLAB_SHOTS"]) if os.environ.get("PEERLAB_SHOTS") else None


def _shot(person, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def seed_circle(live_users, anna, ben, carl) -> int:
    """Anna's circle with Ben and Carl; Carl checked in for meeting 1 and will not come."""
    from peerlab.accounts.models import User
    from peerlab.circles.service import checkins, circles
    from peerlab.extensions import db
    from tests.circles.conftest import actor

    now = server_time(live_users.base_url)
    with live_users.app_context():
        users = [db.session.get(User, p.id) for p in (anna, ben, carl)]
        settings = circles.CircleSettings(
            name="Offene Verwaltung",
            weekday=1,
            local_time=time(18, 0),
            zone="Europe/Berlin",
            start_date=now.astimezone(ZoneInfo("Europe/Berlin")).date() + timedelta(days=7),
            video_url="https://meet.example.org/offen",
            language="de",
            invitees=(users[1].id, users[2].id),
            join=True,
        )
        circle = circles.create_circle(settings, creator=users[0], now=now)
        for user in users[1:]:
            circles.answer_invitation(circle.id, actor(user), accept=True, now=now)
        checkins.save(
            circle.id,
            actor(users[2]),
            1,
            checkins.CheckInText("Mit dem Kreis telefoniert", "Vorlage schreiben", "Eine Lektorin"),
            now=now,
        )
        db.session.commit()
        circle_id = circle.id
        db.session.remove()
    return circle_id


def test_open_the_meeting_and_run_two_turns_by_keyboard(visitor, live, live_users, window):
    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    carl = live_users.create("member", name="Carl Clausen")
    cid = seed_circle(live_users, anna, ben, carl)

    lead = visitor(**window)
    sign_in(lead, anna)
    page = lead.goto(f"/circles/{cid}")
    page.locator("main").get_by_role("link", name="Treffen öffnen").click()
    root = page.locator("#cm")
    expect(root).to_have_attribute("data-connection", "connected")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treffen 1 von 12")

    other = visitor(**window)
    sign_in(other, ben)
    page2 = other.goto(f"/circles/{cid}/treffen")
    root2 = page2.locator("#cm")
    expect(root2).to_have_attribute("data-connection", "connected")
    expect(page2.locator("#cm-people")).to_contain_text("Anna Amsel")
    expect(page2.locator("#cm-waiting-for")).to_contain_text("Moderation: Anna Amsel")
    expect(page.locator("#cm-share")).to_contain_text("Jetzt sind 2 Personen da")
    lead.check_page(signed_in=True)
    other.check_page(signed_in=True)
    _shot(lead, "meeting-open")

    # Anna starts: 15 minutes, no exercise — two present turns and Carl's check-in minute.
    type_into(page, page.get_by_label("Dauer des Treffens in Minuten"), "15")
    type_into(page, page.get_by_label("Davon für die Übung (Minuten)"), "0")
    press(page, page.get_by_role("button", name="Treffen beginnen"))
    expect(root).to_have_attribute("data-status", "running")
    expect(page.locator("#cm-step-title")).to_have_text("Sie sind dran")
    expect(page2.locator("#cm-step-title")).to_have_text("Anna Amsel ist dran")
    expect(page2.locator("#cm-hint")).to_contain_text("Hören Sie zu")
    plan = page2.locator("#cm-plan li")
    expect(plan).to_have_count(3)
    expect(plan.nth(0)).to_have_attribute("aria-current", "step")
    expect(page2.locator("#cm-accounts")).to_contain_text("Anna Amsel")
    expect(page2.locator("#cm-tools")).to_be_hidden()  # Ben neither facilitates nor keeps time
    expect(page.locator("#cm-clock-digits")).not_to_have_text("--:--")
    assert_focus_visible(page)  # every control of the running meeting, by Tab
    lead.check_page(signed_in=True)
    other.check_page(signed_in=True)
    _shot(lead, "meeting-turn")

    # First turn done by keyboard: Ben's turn on both screens, said in the live region.
    press(page, page.get_by_role("button", name="Weiter zum nächsten Schritt"))
    expect(root2).to_have_attribute("data-step", "1")
    expect(page2.locator("#cm-step-title")).to_have_text("Sie sind dran")
    expect(page2.locator("#cm-live")).to_contain_text("Jetzt sind Sie dran", timeout=5000)
    expect(page.locator("#cm-step-title")).to_have_text("Ben Berg ist dran")

    # Ben keeps the circle's notes (keyboard only); Anna sees them.
    type_into(page2, page2.get_by_label("Notizen zu diesem Treffen"), "Carl bekommt Hilfe.")
    press(page2, page2.get_by_role("button", name="Notizen speichern"))
    expect(page2.locator("#cm-notes-status")).to_have_text("Die Notizen sind gespeichert.")
    expect(page.get_by_label("Notizen zu diesem Treffen")).to_have_value("Carl bekommt Hilfe.")

    # Ben gets a minute more (keyboard); his turn runs out on the server with the overrun
    # shown, and Carl's check-in is read out on every screen.
    press(page, page.get_by_role("button", name="Eine Minute mehr"))
    expect(page2.locator("#cm-live")).to_contain_text("Verlängert", timeout=5000)
    live.advance(481)  # 7 minutes each ((15 - 1) / 2) plus the extra minute
    expect(root2).to_have_attribute("data-step", "2")
    expect(page2.locator("#cm-step-title")).to_have_text("Check-in von Carl Clausen (nicht da)")
    expect(page2.locator("#cm-checkin")).to_contain_text("Mit dem Kreis telefoniert")
    expect(page.locator("#cm-accounts")).to_contain_text("01:00 über der Zeit")
    lead.check_page(signed_in=True)
    other.check_page(signed_in=True)
    _shot(other, "meeting-checkin")

    live.advance(61)  # the check-in minute ends the meeting
    expect(root2).to_have_attribute("data-status", "finished")
    expect(page2.locator("#cm-step-title")).to_have_text("Das Treffen ist beendet")
    expect(page.locator("#cm-step-title")).to_have_text("Das Treffen ist beendet")
    for person in (lead, other):
        assert_no_horizontal_scroll(person.page)
        person.check_page(signed_in=True)
    _shot(lead, "meeting-finished")

    # The notes stay with the circle.
    lead.goto(f"/circles/{cid}")
    expect(page.locator("main")).to_contain_text("Carl bekommt Hilfe.")
    lead.check_page(signed_in=True)
