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
    expect(page.locator("#pl-group[data-live=on]")).to_have_count(1)
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
    expect(page.locator("#pl-group[data-live=on]")).to_have_count(1)
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


def test_anonymous_reply_appears_for_another_member_at_the_quarter_hour(
    visitor, live, live_users, window
):
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.groups.service import groups as service
    from peerlab.groups.service import invites, threads
    from tests.e2e.harness import server_time

    tag = window["width"]
    people = [live_users.create("member", name=f"Person {n} {tag}") for n in range(5)]
    now = server_time(live_users.base_url)
    with live_users.app_context():
        users = [db.session.get(User, p.id) for p in people]
        real = service.JoinChoice(accept_rule=True, identity="real")
        group = service.create_group(
            service.GroupSettings(name=f"Offene Worte {tag}", allow_anonymous=True),
            creator=users[0],
            choice=real,
            now=now,
        )
        owner = service.members(group)[0][0]
        for user in users[1:]:
            invites.join(invites.create_link(group, owner, 7, now=now), user, real, now=now)
        thread = threads.start_thread(group, owner, "Was uns belastet", "Erzählt.", now=now)
        path = f"/gruppen/{group.id}/themen/{thread.public_id}"
        db.session.commit()
        db.session.remove()

    author = visitor(**window)
    sign_in(author, people[1])
    page = author.goto(path)
    box = page.locator("[data-anonymous]")
    expect(box).to_be_visible()
    author.check_page(signed_in=True)
    box.get_by_label("Ihr anonymer Beitrag").fill("Ich habe Angst vor der nächsten Sitzung.")
    box.get_by_role("button", name="Anonym senden").click()
    expect(box.locator("[data-anonymous-status]")).to_contain_text("erscheint um")
    expect(box.locator("[data-anonymous-mine]")).to_contain_text("Ich habe Angst")
    author.check_page(signed_in=True)
    _shot(author, "groups-anonymous")

    reader = visitor(**window)
    sign_in(reader, people[2])
    page2 = reader.goto(path)
    posts = page2.locator("#pl-group-posts")
    expect(posts).not_to_contain_text("Ich habe Angst")
    expect(page2.locator("#pl-group[data-live=on]")).to_have_count(1)  # watching the room
    live.advance(15 * 60 + 1)  # the quarter-hour: the due item publishes; the page hears it
    expect(posts).to_contain_text("Ich habe Angst vor der nächsten Sitzung.", timeout=10000)
    expect(posts.locator(".pl-group-post", has_text="Ich habe Angst")).to_contain_text("Anonym")
    expect(box.locator("[data-anonymous-mine]")).to_contain_text("ist erschienen", timeout=10000)
    reader.check_page(signed_in=True)
