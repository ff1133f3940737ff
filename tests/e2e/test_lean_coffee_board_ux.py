"""The Lean Coffee board as people really use it (issue 8): twelve topics on a laptop and a
phone, confirmations that name the consequence, the focus after a phase change, dots that run
out, the thumbs as icons, action items that reach their owner's dashboard, hand-over rules.

Set PEERLAB_SHOTS=/tmp/shots-board to keep screenshots of every phase at 1366 and 390 px."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import (
    advance,
    assert_no_horizontal_scroll,
    board,
    column,
    confirm_dialog,
    seed_round,
    topic_card,
    wait_connected,
    wait_phase,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PEERLAB_SHOTS")

# Whether the element lies wholly inside the viewport (the page scrolled to its top).
IN_VIEW = """(el) => {
  window.scrollTo({top: 0, left: 0, behavior: "instant"});
  const r = el.getBoundingClientRect();
  return {ok: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
              && r.bottom <= window.innerHeight && r.right <= window.innerWidth,
          top: Math.round(r.top), bottom: Math.round(r.bottom), height: window.innerHeight};
}"""
EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def in_view(page: Page, selector_or_locator, what: str) -> None:
    target = (
        page.locator(selector_or_locator)
        if isinstance(selector_or_locator, str)
        else selector_or_locator
    )
    expect(target).to_be_visible()
    box = target.evaluate(IN_VIEW)
    size = page.viewport_size
    assert box["ok"], f"{what} is not on the first screen at {size}: {box}"


def assert_focus_on(page: Page, element_id: str) -> None:
    """document.activeElement is #element_id (also in a page in the background)."""
    page.wait_for_function("(id) => document.activeElement?.id === id", arg=element_id)


def assert_focus_on_phase(page: Page) -> None:
    assert_focus_on(page, "lc-phase-title")


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png")  # the first screen
        page.screenshot(path=f"{SHOTS}/{name}-{width}-full.png", full_page=True)


def at_both_sizes(person, phase: str, check) -> None:
    """Run `check(page)` at 1366×768 and 390×844 (screenshots of both); back to the laptop."""
    page = person.page
    for size in (LAPTOP, PHONE):
        page.set_viewport_size(size)
        shoot(page, phase)
        assert_no_horizontal_scroll(page)
        check(page)
    page.set_viewport_size(LAPTOP)


def test_twelve_topics_keep_the_current_topic_timer_and_next_step_in_view(
    visitor, live_users, live
):
    organizer = live_users.create("organizer", name="Dr. Miriam Lindner")
    member = live_users.create("member", name="Jonas Petersen")
    round_id = seed_round(live_users, organizer, [member], vote_budget=3)
    lead = visitor(**LAPTOP)
    sign_in(lead, organizer)
    lead.goto(f"/runden/{round_id}")
    wait_connected(lead)
    mate = visitor(**PHONE)
    sign_in(mate, member)
    mate.goto(f"/runden/{round_id}")
    wait_connected(mate)
    expect(column(lead.page, "open").locator(".lc-card")).to_have_count(12)
    lead.check_page(signed_in=True)

    phase_button = lead.page.locator("#lc-phase-tools [data-action=advance]")
    at_both_sizes(lead, "1-collect", lambda page: in_view(page, phase_button, "the phase button"))

    # Moving on asks first, in the page, and says what will happen; Escape changes nothing.
    phase_button.click()
    dialog = lead.page.locator("#lc-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Abstimmung starten?")
    expect(dialog).to_contain_text("Danach kann niemand mehr Themen vorschlagen")
    expect(dialog.get_by_role("button", name="Abbrechen")).to_be_focused()
    lead.check_page(signed_in=True)
    shoot(lead.page, "1-collect-dialog")
    lead.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(phase_button).to_be_focused()
    wait_phase(lead, "collect")
    phase_button.click()
    confirm_dialog(lead.page, "Abstimmung starten")
    for person in (lead, mate):
        wait_phase(person, "vote")
        # The focus is on the new phase's heading, the phase sentence is read out politely.
        assert_focus_on_phase(person.page)
        expect(person.page.locator("#lc-live")).to_contain_text(
            "Neue Phase: Abstimmen. Verteilen Sie Ihre Punkte auf die Themen"
        )
    at_both_sizes(lead, "2-vote", lambda page: in_view(page, phase_button, "the phase button"))

    # --- the member's dots run out: "Punkt geben" is off, a line says why ---
    mpage = mate.page
    for title in ("Hass im Netz", "Starkregenvorsorge", "Haushaltssicherung"):
        topic_card(mpage, title).get_by_role("button", name=re.compile("^Punkt geben")).click()
    expect(board(mpage)).to_have_attribute("data-votes-left", "0")
    give = topic_card(mpage, "Digitale Ratssitzungen").get_by_role(
        "button", name=re.compile("^Punkt geben")
    )
    expect(give).to_be_disabled()
    expect(give).to_have_accessible_description(
        "Keine Punkte mehr übrig: Nehmen Sie erst einen zurück."
    )
    expect(
        mpage.get_by_role("button", name=re.compile("^Punkt geben"), disabled=False)
    ).to_have_count(0)
    mate.check_page(signed_in=True)
    shoot(mpage, "2-vote-member-no-dots")
    # One word for dots on the board: "Punkte", never "Stimmen" or "Dots".
    text = board(mpage).inner_text()
    assert not re.search(r"\bStimmen\b(?! Sie)|\bDots?\b", text), text
    # A click that reaches the server anyway (another tab spent the dot) gets a clear alert…
    give.evaluate("(button) => { button.disabled = false; }")
    give.click()
    expect(mpage.locator("#lc-alert")).to_have_text("Sie haben keine Punkte mehr übrig.")
    # …which goes away with the phase it belongs to.
    phase_button.click()
    expect(lead.page.locator("#lc-confirm")).to_contain_text("Die Punkte werden aufgedeckt")
    confirm_dialog(lead.page, "Abstimmung schließen und Besprechung beginnen")
    for person in (lead, mate):
        wait_phase(person, "discuss")
        assert_focus_on_phase(person.page)
    expect(mpage.locator("#lc-alert")).to_be_empty()
    expect(mpage.locator("#lc-alert")).to_be_hidden()

    # --- discuss: the current topic, the timer and the facilitator's next buttons on screen ---
    def now_in_view(page: Page) -> None:
        in_view(page, "#lc-current-topic", "the current topic")
        in_view(page, "#lc-clock", "the timer")
        in_view(page, "#lc-phase-tools [data-action=topic-next]", "the next-topic button")
        in_view(page, phase_button, "the phase button")

    expect(lead.page.locator("#lc-current-topic")).to_contain_text("Hass im Netz")
    at_both_sizes(lead, "3-discuss", now_in_view)
    lead.check_page(signed_in=True)
    in_view(mpage, "#lc-current-topic", "the current topic (member)")
    in_view(mpage, "#lc-clock", "the timer (member)")

    # --- the time is up: thumbs as icons served by peerlab, with their text labels ---
    live.advance(8 * 60 + 1)
    for person in (lead, mate):
        expect(person.page.locator("#lc-roman")).to_have_attribute("data-open", "true")
    thumbs = mpage.locator("#lc-thumbs")
    assert not EMOJI.search(thumbs.inner_text()), thumbs.inner_text()
    icons = thumbs.locator("img.lc-thumb__icon")
    expect(icons).to_have_count(3)
    for i in range(3):
        icon = icons.nth(i)
        assert icon.get_attribute("alt") == ""
        assert icon.get_attribute("src").startswith("/static/")
        assert icon.evaluate("(img) => img.complete && img.naturalWidth > 0")
    for label in (
        "Daumen hoch: weitersprechen",
        "Daumen zur Seite: egal",
        "Daumen runter: nächstes Thema",
    ):
        expect(mpage.get_by_role("button", name=label)).to_be_visible()

    def vote_in_view(page: Page) -> None:
        in_view(page, "#lc-current-topic", "the current topic")
        in_view(page, "#lc-clock", "the timer")
        in_view(page, "#lc-phase-tools [data-action=decide-next]", "the facilitator's decision")

    at_both_sizes(lead, "4-thumbs", vote_in_view)
    mate.check_page(signed_in=True)

    # Both say "next": the next topic's timer starts without the old vote and question under it.
    mpage.get_by_role("button", name="Daumen runter: nächstes Thema").click()
    lead.page.get_by_role("button", name="Daumen runter: nächstes Thema").click()
    for person in (lead, mate):
        expect(column(person.page, "done")).to_contain_text("Hass im Netz")
        expect(person.page.locator("#lc-current-topic")).not_to_contain_text("Hass im Netz")
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "running")
        expect(person.page.locator("#lc-live")).to_contain_text("Weiter mit dem nächsten Thema")
        expect(person.page.locator("#lc-roman")).to_be_hidden()
        expect(person.page.get_by_text("Weiter über dieses Thema sprechen?")).to_be_hidden()
    at_both_sizes(lead, "5-next-topic", now_in_view)

    # --- wrap-up and the end, each confirmed with its consequence ---
    phase_button.click()
    expect(lead.page.locator("#lc-confirm")).to_contain_text(
        "Themen, die noch warten, bleiben unbesprochen"
    )
    confirm_dialog(lead.page, "Zum Abschluss")
    wait_phase(lead, "wrapup")
    at_both_sizes(lead, "6-wrapup", lambda page: in_view(page, phase_button, "the phase button"))
    phase_button.click()
    expect(lead.page.locator("#lc-confirm")).to_contain_text(
        "Das lässt sich nicht rückgängig machen"
    )
    lead.page.set_viewport_size(PHONE)  # the dialog on a phone
    shoot(lead.page, "6-end-dialog")
    assert_no_horizontal_scroll(lead.page)
    lead.check_page(signed_in=True)
    lead.page.set_viewport_size(LAPTOP)
    confirm_dialog(lead.page, "Runde beenden")
    for person in (lead, mate):
        wait_phase(person, "closed")
        assert_focus_on_phase(person.page)
    at_both_sizes(lead, "7-closed", lambda page: in_view(page, "#lc-phase-title", "the phase"))
    lead.check_page(signed_in=True)


def _to_discussion(live_users, round_id: int, guest_name: str) -> None:
    """Voting over (straight in the database), a guest in the round who showed no name."""
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Round
    from peerlab.lean_coffee.service import rounds
    from tests.e2e.harness import server_time

    now = server_time(live_users.base_url)
    with live_users.app_context():
        rnd = db.session.get(Round, round_id)
        guest, _secret = rounds.create_guest(rnd, guest_name, now=now)
        rounds.ensure_participant(rnd, guest=guest, now=now)
        rounds.advance_phase(rnd, "vote", now=now)
        rounds.advance_phase(rnd, "discuss", now=now)
        db.session.commit()
        db.session.remove()


def test_action_owner_from_the_round_and_hand_over_only_to_someone_here(visitor, live_users):
    organizer = live_users.create("organizer", name="Dr. Miriam Lindner")
    member = live_users.create("member", name="Jonas Petersen")
    absent = live_users.create("member", name="Olaf Abwesend")
    round_id = seed_round(live_users, organizer, [member, absent], topics=[("Wärmeplanung", "")])
    _to_discussion(live_users, round_id, "Gerda Gast")
    lead = visitor(**LAPTOP)
    sign_in(lead, organizer)
    lead.goto(f"/runden/{round_id}")
    wait_connected(lead)
    mate = visitor(**PHONE)
    sign_in(mate, member)
    mate.goto(f"/runden/{round_id}")
    wait_connected(mate)
    expect(lead.page.locator("#lc-presence")).to_contain_text("Jonas Petersen")

    # --- the owner is picked from the round's people (guests are not listed by name) ---
    card = topic_card(lead.page, "Wärmeplanung")
    owner = card.get_by_label("Wer? (optional)")
    options = owner.locator("option").all_inner_texts()
    assert options[0] == "Noch offen" and options[-1] == "Jemand anderes …", options
    assert {"Jonas Petersen", "Olaf Abwesend", "Dr. Miriam Lindner"} <= set(options), options
    assert not any("Gerda" in o for o in options), options
    expect(card.get_by_label("Name, wenn nicht in der Liste")).to_be_hidden()
    card.get_by_label("Was ist zu tun?").fill("Leitfaden an alle Kommunen schicken")
    owner.select_option(label="Jonas Petersen")
    card.get_by_role("button", name="Aufgabe hinzufügen").click()
    for person in (lead, mate):
        expect(topic_card(person.page, "Wärmeplanung")).to_contain_text(
            "Leitfaden an alle Kommunen schicken – Jonas Petersen"
        )
    expect(owner).to_have_value("")
    # Someone outside the list: a name as written.
    owner.select_option(label="Jemand anderes …")
    name = card.get_by_label("Name, wenn nicht in der Liste")
    expect(name).to_be_visible()
    card.get_by_label("Was ist zu tun?").fill("Kämmerei fragen")
    name.fill("Frau Kühn (Kämmerei)")
    card.get_by_role("button", name="Aufgabe hinzufügen").click()
    expect(topic_card(mate.page, "Wärmeplanung")).to_contain_text(
        "Kämmerei fragen – Frau Kühn (Kämmerei)"
    )
    expect(name).to_be_hidden()
    lead.check_page(signed_in=True)
    shoot(lead.page, "8-action-owner")

    # It reaches the owner's "Meine Aufgaben" on the dashboard.
    dash = mate.context.new_page()
    dash.goto(mate.url("/"))
    todos = dash.get_by_role("region", name="Meine Aufgaben")
    expect(todos).to_contain_text("Leitfaden an alle Kommunen schicken")
    expect(todos).not_to_contain_text("Kämmerei fragen")
    dash.close()

    # --- hand-over: asked first; to someone not connected the server says no, clearly ---
    lead.page.get_by_role("button", name="Moderation übergeben – Olaf Abwesend").click()
    dialog = lead.page.locator("#lc-confirm")
    expect(dialog.get_by_role("heading")).to_have_text("Moderation an Olaf Abwesend übergeben?")
    expect(dialog).to_contain_text("Sie werden Co-Moderation")
    lead.check_page(signed_in=True)
    confirm_dialog(lead.page, "Moderation übergeben")
    expect(lead.page.locator("#lc-alert")).to_have_text(
        "Olaf Abwesend ist gerade nicht mit der Runde verbunden. Übergeben Sie die Moderation "
        "an jemanden, der die Runde gerade geöffnet hat."
    )
    still_leading = lead.page.locator("#lc-phase-tools [data-action=advance]")
    expect(still_leading).to_be_visible()
    lead.page.get_by_role("button", name="Moderation übergeben – Jonas Petersen").click()
    confirm_dialog(lead.page, "Moderation übergeben")
    expect(mate.page.locator("#lc-phase-tools")).to_contain_text("Zum Abschluss")
    expect(lead.page.locator("#lc-roles")).to_be_hidden()
    assert_focus_on(lead.page, "lc-people-title")
    expect(lead.page.locator("#lc-alert")).to_be_hidden()

    # Two people moderate: a question still open on one board closes when the other moves on.
    mate.page.locator("#lc-phase-tools [data-action=advance]").click()
    expect(mate.page.locator("#lc-confirm")).to_be_visible()
    advance(lead, "Zum Abschluss")
    wait_phase(mate, "wrapup")
    expect(mate.page.locator("#lc-confirm")).to_be_hidden()
    assert_focus_on_phase(mate.page)
    expect(mate.page.locator("#lc-alert")).to_be_hidden()
