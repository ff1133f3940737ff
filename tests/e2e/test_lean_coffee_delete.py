"""Deleting a round in the browser: the organizer goes from the board to the confirmation page
and deletes it; the invited member's open board says so, the cancellation arrives by mail, and
the invitation leaves the member's open invitations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import create_round, wait_connected

pytestmark = pytest.mark.browser


def test_organizer_deletes_a_future_round(visitor, live_users, smtp_server):
    organizer = live_users.create("organizer", name="Dora Delling")
    member = live_users.create("member", name="Malte Mittag")
    lead = visitor()
    sign_in(lead, organizer)
    round_id = create_round(lead, member)
    smtp_server.recorder.wait_for(member.email)  # the invitation

    person = visitor()
    sign_in(person, member)
    page = person.goto("/")
    expect(page.get_by_role("region", name="Offene Einladungen")).to_contain_text(
        "Lean Coffee Integration"
    )
    assert page.get_by_role("link", name="Runde löschen").count() == 0
    person.goto(f"/runden/{round_id}")
    wait_connected(person)
    expect(person.page.get_by_role("link", name="Runde löschen")).to_have_count(0)

    page = lead.goto(f"/runden/{round_id}")
    wait_connected(lead)
    page.get_by_role("link", name="Runde löschen").click()
    page.wait_for_url(f"**/runden/{round_id}/loeschen")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Runde löschen: Lean Coffee Integration"
    )
    expect(page.locator("#folgen")).to_contain_text("Alle Eingeladenen erhalten eine Absage")
    lead.check_page(signed_in=True)

    # Changing one's mind: back to the board, nothing happened.
    page.get_by_role("link", name="Abbrechen und zurück zur Runde").click()
    page.wait_for_url(f"**/runden/{round_id}")
    page.get_by_role("link", name="Runde löschen").click()
    page.get_by_role("button", name="Runde endgültig löschen").click()
    page.wait_for_url("**/runden")
    expect(page.locator(".kern-alert--success")).to_contain_text(
        "Die Runde „Lean Coffee Integration“ ist gelöscht. Alle Eingeladenen erhalten eine Absage"
    )
    expect(page.get_by_role("link", name="Lean Coffee Integration")).to_have_count(0)
    lead.check_page(signed_in=True)

    # The member's open board is told and ends its connection.
    expect(person.page.locator("#lc-alert")).to_contain_text("Diese Runde wurde gelöscht.")
    expect(person.page.locator("#lc-connection")).to_have_text(
        "Nicht mehr verbunden: Diese Runde wurde gelöscht."
    )
    person.check_page(signed_in=True)

    cancel = smtp_server.recorder.wait_for(member.email, count=2)[-1]
    assert cancel["Subject"].startswith("Abgesagt: Lean Coffee: Lean Coffee Integration")
    calendar = next(p for p in cancel.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "CANCEL"

    page = person.goto("/")
    expect(page.get_by_role("region", name="Offene Einladungen")).to_contain_text(
        "Keine offenen Einladungen."
    )
    person.goto(f"/runden/{round_id}", status=404)
    lead.goto(f"/runden/{round_id}/loeschen", status=404)
