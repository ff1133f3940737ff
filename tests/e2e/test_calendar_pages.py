"""Calendar pages in the browser: the invitation on the dashboard and the Kalender page, the
answer through peerlab and through the mail's link, and the organizer's view of the answers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_form_layout, links_in_mail, sign_in
from tests.e2e.lean_coffee_board import create_round

pytestmark = pytest.mark.browser


def test_invitee_answers_and_organizer_sees_it(visitor, live_users, live, smtp_server, window):
    organizer = live_users.create("organizer", name="Ottilie Ortlieb")
    # One name per window: the form's invitee list holds the other run's people too.
    member = live_users.create("member", name=f"Mats Mertens ({window['width']})")
    lead = visitor()
    sign_in(lead, organizer)
    round_id = create_round(lead, member)

    guest_of_mail = smtp_server.recorder.wait_for(member.email)[-1]
    answer_links = [link for link in links_in_mail(guest_of_mail, live.url) if "/antwort/" in link]
    assert answer_links, "the invitation mail carries answer links"

    person = visitor(**window)
    sign_in(person, member)
    page = person.goto("/")
    expect(page.get_by_role("link", name="Lean Coffee Integration").first).to_be_visible()
    person.check_page(signed_in=True)

    page = person.goto("/kalender/")
    expect(page.get_by_role("heading", name="Meine Einladungen")).to_be_visible()
    person.check_page(signed_in=True)
    invitations = page.get_by_role("region", name="Meine Einladungen")
    invitations.get_by_role("link", name="Lean Coffee Integration").click()
    expect(page.get_by_role("button", name="Zusagen")).to_be_visible()
    person.check_page(signed_in=True)
    assert_form_layout(page)  # "Ihre Antwort" above the buttons, not beside them
    page.get_by_role("button", name="Vielleicht").click()
    expect(page.locator("#stand")).to_contain_text("„Vielleicht“")

    # The mail's link: opening it changes nothing; the button applies the answer.
    page = person.goto(answer_links[0].replace(live.url, ""))
    person.check_page(signed_in=True)
    expect(page.locator("#stand")).to_contain_text("„Vielleicht“")
    page.get_by_role("button", name="Zusagen").click()
    expect(page.locator("#stand")).to_have_text("Sie haben zugesagt.")

    page = lead.goto(f"/runden/{round_id}/bearbeiten")
    answers = page.get_by_role("region", name="Einladungen und Antworten")
    expect(answers).to_contain_text("Mats Mertens")
    expect(answers).to_contain_text("Zugesagt")
    lead.check_page(signed_in=True)
