"""The facilitator removes a guest from the board (keyboard only, with a confirm step); the
guest's board says so in the guest's own language; the member never learns the guest's name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import board, create_round, press, wait_connected

pytestmark = pytest.mark.browser


def test_facilitator_removes_a_guest_who_reads_the_board_in_english(visitor, live_users, live):
    organizer = live_users.create("organizer", name="Olaf Ortmann")
    member = live_users.create("member", name="Petra Paulsen")
    lead = visitor()
    sign_in(lead, organizer)
    round_id = create_round(lead, member)
    wait_connected(lead)
    join_url = lead.page.locator("#lc-join-url").input_value()
    mate = visitor()
    sign_in(mate, member)
    mate.goto(f"/runden/{round_id}")
    wait_connected(mate)

    guest = visitor(width=390, height=844)
    gpage = guest.page
    gpage.goto(join_url)
    gpage.get_by_label("Ihr Name für diese Runde").fill("Gustav Gast")
    gpage.get_by_role("button", name="Als Gast teilnehmen").click()
    gpage.wait_for_url(re.compile(rf"/runden/{round_id}$"))
    gpage.get_by_role("button", name="English").click()
    expect(gpage.locator("html")).to_have_attribute("lang", "en")
    wait_connected(guest)

    # Only the facilitator's board names the guest; the member sees a count.
    guests = lead.page.locator("#lc-guests-list")
    expect(guests).to_contain_text("Gustav Gast")
    expect(mate.page.locator("#lc-presence")).to_contain_text("1 Gast")
    expect(mate.page.locator("#lc-guests")).to_be_hidden()
    assert "Gustav" not in mate.page.content()
    lead.check_page(signed_in=True)

    # Ask, change one's mind (the focus returns), ask again and confirm — by keyboard alone.
    press(lead.page, lead.page.get_by_role("button", name="Entfernen – Gustav Gast"))
    confirm = lead.page.get_by_role("button", name="Ja, entfernen")
    expect(confirm).to_be_focused()
    expect(guests).to_contain_text("Gustav Gast wirklich aus der Runde entfernen?")
    lead.check_page(signed_in=True)
    press(lead.page, lead.page.get_by_role("button", name="Abbrechen"))
    ask = lead.page.get_by_role("button", name="Entfernen – Gustav Gast")
    expect(ask).to_be_focused()
    lead.page.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    lead.page.keyboard.press("Enter")
    expect(lead.page.locator("#lc-guests-status")).to_have_text(
        "Gustav Gast wurde aus der Runde entfernt."
    )
    expect(guests).to_have_text("Zurzeit ist kein Gast in der Runde.")
    expect(lead.page.locator("#lc-guests-title")).to_be_focused()
    lead.check_page(signed_in=True)

    # The guest's board says so, in English, and stops; the member's count drops.
    expect(board(gpage)).to_have_attribute("data-connection", "removed")
    expect(gpage.locator("#lc-alert")).to_have_text("You were removed from this round.")
    expect(gpage.locator("#lc-connection")).to_have_text(
        "No longer connected: you have been removed from this round."
    )
    guest.check_page()
    expect(mate.page.locator("#lc-presence")).not_to_contain_text("Gast")
    # The guest pass is revoked: the board does not open again.
    gpage.reload()
    expect(gpage.locator("#lc-board")).to_have_count(0)
