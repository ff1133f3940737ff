"""Kollegiale Beratung in a confidential group, in the browser: a member plans it from the group
page among the members (a pseudonymous member appears under the pseudonym only), the moderator
runs two phases by keyboard only; phone and laptop, `check_page` on every page. The group is
made through the services (its own browser test is tests/e2e/test_groups.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in
from tests.e2e.test_coaching import _shot, press

pytestmark = pytest.mark.browser


def _group(live_users, people: dict) -> int:
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.groups.service import groups as service
    from peerlab.groups.service import invites

    real = service.JoinChoice(accept_rule=True, identity="real")
    now = server_time(live_users.base_url)
    with live_users.app_context():
        users = {k: db.session.get(User, p.id) for k, p in people.items()}
        group = service.create_group(
            service.GroupSettings(name="Vertrauensrunde Süd", purpose="Austausch"),
            creator=users["anna"],
            choice=real,
            now=now,
        )
        owner = service.members(group)[0][0]
        for key, user in users.items():
            if key == "anna":
                continue
            choice = (
                service.JoinChoice(accept_rule=True, identity="pseudonym", pseudonym="Stille Eiche")
                if key == "ben"
                else real
            )
            invites.join(invites.create_link(group, owner, 7, now=now), user, choice, now=now)
        db.session.commit()
        group_id = group.id
        db.session.remove()
    return group_id


def test_plan_from_the_group_page_and_run_two_phases_by_keyboard(visitor, live_users, window):
    people = {
        key: live_users.create("member", name=name)
        for key, name in (
            ("anna", "Anna Amsel"),
            ("ben", "Ben Berg"),
            ("carl", "Carl Clausen"),
            ("dora", "Dora Dorn"),
            ("eva", "Eva Ernst"),
        )
    }
    group_id = _group(live_users, people)
    day = server_time(live_users.base_url).astimezone(ZoneInfo("Europe/Berlin")).date()
    day += timedelta(days=1)

    setter = visitor(**window)
    sign_in(setter, people["dora"])
    page = setter.goto(f"/gruppen/{group_id}")
    expect(page.locator("main")).to_contain_text("Keine Beratung geplant.")
    setter.check_page(signed_in=True)
    page.locator("main").get_by_role("link", name="Kollegiale Beratung planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kollegiale Beratung planen")
    main = page.locator("main")
    expect(main).to_contain_text("Stille Eiche")
    expect(main).not_to_contain_text("Ben Berg")
    setter.check_page(signed_in=True)
    _shot(setter, "coaching-group-form")
    main.get_by_label("Titel").fill("Drohanrufe im Bürgerbüro")
    main.get_by_label("Datum").fill(day.isoformat())
    main.get_by_label("Uhrzeit").fill("10:00")
    main.locator("#case_giver").select_option(str(people["carl"].id))
    main.locator("#moderator").select_option(str(people["anna"].id))
    for key in ("ben", "dora", "eva"):
        main.locator(f"input[name=advisers][value='{people[key].id}']").check()
    main.get_by_role("button", name="Beratung anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drohanrufe im Bürgerbüro")
    expect(page.locator("main")).to_contain_text("Stille Eiche")
    expect(page.locator("main")).not_to_contain_text("Ben Berg")
    setter.check_page(signed_in=True)
    path = re.sub(r"^https?://[^/]+", "", page.url)
    listed = setter.goto(f"/gruppen/{group_id}")
    expect(listed.locator("main")).to_contain_text("Drohanrufe im Bürgerbüro")
    setter.check_page(signed_in=True)
    _shot(setter, "coaching-group-page")

    moderator = visitor(**window)
    sign_in(moderator, people["anna"])
    board = moderator.goto(path)
    expect(board.locator("#co-controls")).to_be_visible()
    moderator.check_page(signed_in=True)
    press(board, "Beratung starten")
    expect(board.locator("#co-phase-title")).to_have_text("Jetzt: Rollen klären")
    press(board, "Nächste Phase")
    expect(board.locator("#co-phase-title")).to_have_text("Jetzt: Fallerzählung")
    expect(board.locator("main")).to_contain_text("Stille Eiche")
    expect(board.locator("main")).not_to_contain_text("Ben Berg")
    moderator.check_page(signed_in=True)
    _shot(moderator, "coaching-group-board")
