"""A confidential group in the browser: found it, make a one-time link, join with the rule
and a pseudonym, start a thread that another member's open page hears about live, reply by
keyboard only; a non-member gets 404 on every group page. Phone and laptop, `check_page` on
every page. PEERLAB_SHOTS=<folder> keeps full-page screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ["PEERLAB_SHOTS"]) if os.environ.get("PEERLAB_SHOTS") else None


def _shot(person, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def test_found_invite_join_post_live_and_outsiders_get_404(visitor, live_users, window):
    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    otto = live_users.create("organizer", name="Otto Orga")

    first = visitor(**window)
    sign_in(first, anna)
    page = first.goto("/gruppen/")
    first.check_page(signed_in=True)
    _shot(first, "groups-list")
    page.locator("main").get_by_role("link", name="Gruppe gründen").click()
    first.check_page(signed_in=True)
    _shot(first, "groups-form")
    main = page.locator("main")
    main.get_by_label("Name der Gruppe").fill("Vertrauensrunde Ost")
    main.get_by_label("Worum es geht").fill("Was uns im Amt belastet.")
    main.get_by_label("mit meinem Namen").check()
    main.get_by_label("Ich halte mich an die Vertraulichkeitsregel dieser Gruppe.").check()
    main.get_by_role("button", name="Gruppe gründen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vertrauensrunde Ost")
    expect(main).to_contain_text("Chatham-House-Regel")
    first.check_page(signed_in=True)
    group_path = _path(page).replace("/mitglieder", "")
    main.get_by_label("7 Tage").check()
    main.get_by_role("button", name="Einmal-Link erzeugen").click()
    link = main.locator(".pl-group-link code").inner_text()
    assert "/gruppen/einladung/" in link
    first.check_page(signed_in=True)
    _shot(first, "groups-members")

    second = visitor(**window)
    sign_in(second, ben)
    page2 = second.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page2.get_by_role("heading", level=1)).to_contain_text("Vertrauensrunde Ost")
    second.check_page(signed_in=True)
    _shot(second, "groups-invitation")
    main2 = page2.locator("main")
    main2.get_by_label("mit einem Pseudonym nur für diese Gruppe").check()
    main2.get_by_label(re.compile(r"^Pseudonym")).fill("Heitere Lahn")
    main2.get_by_role("button", name="Beitreten").click()
    # without the rule: a clear message, still on the invitation
    expect(main2.locator(".kern-error").first).to_contain_text("Ohne diese Zusage")
    second.check_page(signed_in=True)
    main2.get_by_label("mit einem Pseudonym nur für diese Gruppe").check()
    main2.get_by_label(re.compile(r"^Pseudonym")).fill("Heitere Lahn")
    main2.get_by_label("Ich halte mich an die Vertraulichkeitsregel dieser Gruppe.").check()
    main2.get_by_role("button", name="Beitreten").click()
    expect(page2.get_by_role("heading", level=1)).to_have_text("Vertrauensrunde Ost")
    second.check_page(signed_in=True)

    # Anna has the group page open; Ben starts a thread: her page hears of it live
    first.goto(group_path)
    expect(page.locator("main")).to_contain_text("Heitere Lahn")
    main2.get_by_label("Titel").fill("Drohbriefe")
    main2.get_by_label("Ihr Beitrag").fill("Wie geht ihr mit anonymen Drohbriefen um?")
    main2.get_by_role("button", name="Thema beginnen").click()
    expect(page2.get_by_role("heading", level=1)).to_have_text("Drohbriefe")
    second.check_page(signed_in=True)
    note = page.locator("[data-live-note]")
    expect(note).to_be_visible(timeout=10000)
    first.check_page(signed_in=True)
    _shot(first, "groups-show")
    thread_path = _path(page2)

    # Anna opens the thread; Ben replies by keyboard only and her page shows it live
    first.goto(thread_path)
    expect(page.locator("main")).to_contain_text("Heitere Lahn")
    expect(page.locator("main")).not_to_contain_text("Ben Berg")
    page2.locator("main textarea").focus()
    page2.keyboard.type("Wir zeigen jeden Brief an.")
    page2.keyboard.press("Tab")
    expect(page2.locator("main button:focus")).to_have_text("Antworten")
    page2.keyboard.press("Enter")
    expect(page2.locator("main .pl-group-posts")).to_contain_text("Wir zeigen jeden Brief an.")
    expect(page.locator("main .pl-group-posts")).to_contain_text(
        "Wir zeigen jeden Brief an.", timeout=10000
    )
    first.check_page(signed_in=True)
    second.check_page(signed_in=True)
    _shot(second, "groups-thread")

    # an organizer who is not a member: 404 everywhere, the name nowhere
    third = visitor(**window)
    sign_in(third, otto)
    for path in (group_path, thread_path, group_path + "/mitglieder", group_path + "/notizen"):
        page3 = third.goto(path, status=404)
        expect(page3.locator("body")).not_to_contain_text("Vertrauensrunde")
        third.check_page(signed_in=True)
    third.open_menu()
    third.page.get_by_role("link", name="Gruppen").first.click()
    expect(third.page.locator("main")).to_contain_text("Sie sind noch in keiner Gruppe.")
    third.check_page(signed_in=True)
