"""A whole Lean Coffee round in three browsers: facilitator, member and a guest on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import (
    advance,
    assert_keyboard_reaches_every_control,
    assert_no_horizontal_scroll,
    board,
    clock_deadline,
    column,
    create_round,
    press,
    seconds_left,
    tab_to,
    topic_card,
    type_into,
    wait_connected,
    wait_phase,
)

pytestmark = pytest.mark.browser

# Keeps every value the board's connection state takes (the reconnect may be quick).
CONNECTION_LOG = """() => {
  const board = document.getElementById("lc-board");
  window.__connectionLog = [board.dataset.connection];
  new MutationObserver(() => window.__connectionLog.push(board.dataset.connection))
    .observe(board, {attributes: true, attributeFilter: ["data-connection"]});
}"""


def test_a_whole_round_in_three_browsers(visitor, live_users, live):
    organizer = live_users.create("organizer", name="Dr. Miriam Lindner")
    member = live_users.create("member", name="Jonas Petersen")
    lead = visitor()
    sign_in(lead, organizer)
    round_id = create_round(lead, member.name)
    wait_connected(lead)
    lead.check_page(signed_in=True)
    join_url = lead.page.locator("#lc-join-url").input_value()
    assert join_url.startswith(live.url)

    mate = visitor()
    sign_in(mate, member)
    mate.goto(f"/runden/{round_id}")
    wait_connected(mate)

    guest = visitor(width=390, height=844)
    guest.page.goto(join_url)
    guest.check_page()
    guest.page.get_by_label("Ihr Name für diese Runde").fill("Gabi Gast")
    guest.page.get_by_role("button", name="Als Gast teilnehmen").click()
    guest.page.wait_for_url(re.compile(rf"/runden/{round_id}$"))
    wait_connected(guest)
    for person in (lead, mate, guest):
        wait_phase(person, "collect")
        person.check_page(signed_in=person is not guest)
    assert_no_horizontal_scroll(guest.page)

    # --- collect: one topic each, the guest's anonymous (typed and sent by keyboard only) ---
    add_topic(mate, "Ganztag in der Grundschule", "Wie finanzieren wir die Betreuung?")
    gpage = guest.page
    type_into(gpage, gpage.get_by_label("Thema", exact=True), "Hass im Netz")
    tab_to(gpage, gpage.get_by_label("Anonym einreichen"))
    gpage.keyboard.press("Space")
    expect(gpage.get_by_label("Anonym einreichen")).to_be_checked()
    press(gpage, gpage.get_by_role("button", name="Thema hinzufügen"))
    expect(topic_card(gpage, "Hass im Netz")).to_be_visible()
    add_topic(lead, "Kommunale Wärmeplanung")

    # Authors edit and withdraw their own topics; the facilitator merges a duplicate.
    add_topic(mate, "Tippfehler-Thema")
    card = topic_card(mate.page, "Tippfehler-Thema")
    card.get_by_role("button", name=re.compile("^Bearbeiten")).click()
    edit_title = mate.page.locator("form[data-form=topic-edit]").get_by_label("Thema", exact=True)
    expect(edit_title).to_be_focused()
    edit_title.fill("Zurückgezogenes Thema")
    mate.page.locator("form[data-form=topic-edit]").get_by_role("button", name="Speichern").click()
    for person in (lead, guest):
        expect(topic_card(person.page, "Zurückgezogenes Thema")).to_be_visible()
    card = topic_card(mate.page, "Zurückgezogenes Thema")
    card.get_by_role("button", name=re.compile("^Zurückziehen")).click()
    add_topic(lead, "Ganztagsbetreuung")
    for person in (lead, mate, guest):
        expect(topic_card(person.page, "Zurückgezogenes Thema")).to_have_count(0)
        expect(topic_card(person.page, "Ganztagsbetreuung")).to_be_visible()
    duplicate = topic_card(lead.page, "Ganztagsbetreuung")
    duplicate.locator("summary").click()
    duplicate.get_by_label("Zusammenführen mit").select_option(label="Ganztag in der Grundschule")
    duplicate.get_by_role("button", name="Zusammenführen").click()
    for person in (lead, mate, guest):
        expect(topic_card(person.page, "Ganztagsbetreuung")).to_have_count(0)
    for person in (lead, mate, guest):
        expect(column(person.page, "open").locator(".lc-card")).to_have_count(3)
        anonymous = topic_card(person.page, "Hass im Netz")
        expect(anonymous).to_contain_text("Anonym")
        expect(anonymous).not_to_contain_text("Gabi Gast")
    # The guest's name is nowhere in the member's page (the topic is anonymous, guests are
    # counted, not named); only the facilitator's own guest list names the guest.
    assert "Gabi Gast" not in mate.page.content()
    expect(mate.page.locator("#lc-guests")).to_be_hidden()
    expect(lead.page.locator("#lc-guests-list")).to_contain_text("Gabi Gast")
    # A server restart mid-round loses nothing: every board reconnects and rejoins.
    for person in (lead, mate, guest):
        person.page.evaluate(CONNECTION_LOG)
    live.restart()
    for person in (lead, mate, guest):
        # The client retries with a growing delay (at most 5 s, see live/connection.js) while
        # the server starts again: on a loaded machine the next retry can be 5 s away.
        wait_connected(person, timeout_ms=15000)
        assert "reconnecting" in person.page.evaluate("() => window.__connectionLog")
        expect(column(person.page, "open").locator(".lc-card")).to_have_count(3)
    expect(topic_card(gpage, "Hass im Netz")).to_contain_text("Ihr Thema")
    expect(topic_card(lead.page, "Hass im Netz")).not_to_contain_text("Ihr Thema")
    expect(topic_card(lead.page, "Ganztag in der Grundschule")).to_contain_text("Jonas Petersen")
    lead.check_page(signed_in=True)
    guest.check_page()
    assert_no_horizontal_scroll(gpage)

    # The facilitator makes the member co-facilitator: the member gets the moderation tools.
    expect(mate.page.locator("#lc-facilitate")).to_be_hidden()
    lead.page.get_by_role("button", name="Zur Co-Moderation machen – Jonas Petersen").click()
    expect(mate.page.locator("#lc-facilitate")).to_be_visible()
    expect(mate.page.get_by_role("button", name="Abstimmung starten")).to_be_visible()
    expect(gpage.locator("#lc-facilitate")).to_be_hidden()
    expect(lead.page.locator("#lc-roles-list")).to_contain_text("Jonas Petersen (Co-Moderation)")

    # --- vote: budget shown and enforced, counts hidden until voting closes ---
    advance(lead, "Abstimmung starten")
    for person in (lead, mate, guest):
        wait_phase(person, "vote")
        expect(person.page.locator("#lc-live")).to_contain_text("Neue Phase: Abstimmen")
        expect(person.page.locator("#lc-budget")).to_contain_text("3 von 3 übrig")
    vote(mate, "Hass im Netz", 2)
    vote(mate, "Ganztag in der Grundschule", 1)
    expect(mate.page.locator("#lc-budget")).to_contain_text("0 von 3 übrig")
    give = topic_card(mate.page, "Kommunale Wärmeplanung").get_by_role(
        "button", name=re.compile("^Punkt geben")
    )
    expect(give).to_be_disabled()  # no dot left: the button says so, a line says why
    expect(topic_card(mate.page, "Kommunale Wärmeplanung")).to_contain_text("Keine Punkte mehr")
    expect(mate.page.locator("#lc-budget")).to_contain_text("0 von 3 übrig")
    mate.check_page(signed_in=True)  # the used-up state is accessible too
    # A dot taken back returns to the budget; with the button gone, the focus stays on the card.
    ganztag = topic_card(mate.page, "Ganztag in der Grundschule")
    press(mate.page, ganztag.get_by_role("button", name=re.compile("^Punkt zurücknehmen")))
    expect(mate.page.locator("#lc-budget")).to_contain_text("1 von 3 übrig")
    expect(ganztag.get_by_role("button", name=re.compile("^Punkt zurücknehmen"))).to_have_count(0)
    expect(ganztag).to_be_focused()
    vote(mate, "Ganztag in der Grundschule", 1)
    # The guest votes by keyboard: one dot on the anonymous topic.
    press(
        gpage,
        topic_card(gpage, "Hass im Netz").get_by_role("button", name=re.compile("^Punkt geben")),
    )
    expect(gpage.locator("#lc-budget")).to_contain_text("2 von 3 übrig")
    vote(lead, "Kommunale Wärmeplanung", 1)
    vote(lead, "Hass im Netz", 1)
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-voting")).to_contain_text("6 Punkte von 3 Personen")
        expect(person.page.locator(".lc-votes")).to_have_count(0)  # no counts while voting
    guest.check_page()
    assert_no_horizontal_scroll(gpage)

    # --- discuss: counts revealed, the top topic and one timer for everybody ---
    advance(lead, "Abstimmung schließen und Besprechung beginnen")
    for person in (lead, mate, guest):
        wait_phase(person, "discuss")
        current = column(person.page, "discussing")
        expect(current.locator(".lc-card")).to_have_count(1)
        expect(topic_card(person.page, "Hass im Netz")).to_contain_text("4 Punkte")
        expect(topic_card(person.page, "Ganztag in der Grundschule")).to_contain_text("1 Punkt")
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "running")
    deadlines = {clock_deadline(p.page) for p in (lead, mate, guest)}
    assert len(deadlines) == 1 and "" not in deadlines, deadlines
    digits = [p.page.locator("#lc-clock-digits").inner_text() for p in (lead, mate, guest)]
    assert all(re.fullmatch(r"0[78]:\d\d", d) for d in digits), digits
    expect(lead.page.locator("#lc-live")).to_contain_text("Der Timer läuft")
    for person in (lead, mate, guest):
        person.check_page(signed_in=person is not guest)
    assert_no_horizontal_scroll(gpage)

    # --- the facilitator's board works by keyboard alone: pause and resume the timer ---
    assert_keyboard_reaches_every_control(lead.page)
    press(lead.page, lead.page.get_by_role("button", name="Timer anhalten"))
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "paused")
        expect(person.page.locator("#lc-live")).to_contain_text("Timer angehalten bei")
    press(lead.page, lead.page.get_by_role("button", name="Timer fortsetzen"))
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "running")
        expect(person.page.locator("#lc-live")).to_contain_text("Der Timer läuft weiter")
    assert_keyboard_reaches_every_control(gpage)
    # The facilitator's view (the fullest one) on a phone: nothing scrolls sideways.
    lead.page.set_viewport_size({"width": 390, "height": 844})
    assert_no_horizontal_scroll(lead.page)
    lead.check_page(signed_in=True)
    lead.page.set_viewport_size({"width": 1280, "height": 900})

    # --- the member reloads mid-timer: same state, same deadline ---
    deadline = clock_deadline(mate.page)
    mate.page.reload()
    wait_connected(mate)
    wait_phase(mate, "discuss")
    expect(mate.page.locator("#lc-clock")).to_have_attribute("data-ends-at", deadline)
    expect(column(mate.page, "discussing")).to_contain_text("Hass im Netz")
    expect(mate.page.locator("#lc-budget")).to_contain_text("3 von 3 Punkten vergeben")

    # The spoken timer: "one minute left" once, when the minute is crossed. The server's clock
    # jumps to 68 s before the deadline; a second browser with the member's session joins then,
    # renders from deadline + server time and counts the last seconds down by itself.
    live.advance(seconds_left(mate.page) - 68)
    second = visitor()
    second.context.add_cookies([mate.session_cookie()])
    watcher = second.goto(f"/runden/{round_id}")
    expect(board(watcher)).to_have_attribute("data-connection", "connected")
    expect(watcher.locator("#lc-clock")).to_have_attribute("data-ends-at", deadline)
    assert 60 < seconds_left(watcher) <= 68
    expect(watcher.locator("#lc-live")).not_to_contain_text("Noch eine Minute")
    expect(watcher.locator("#lc-live")).to_have_text("Noch eine Minute.", timeout=20_000)
    assert seconds_left(watcher) <= 60
    second.context.close()

    # --- expiry (the server's clock moves on) → thumbs → extension ---
    live.advance(8 * 60 + 1)
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-roman")).to_have_attribute("data-open", "true")
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "expired")
        expect(person.page.locator("#lc-live")).to_contain_text("Die Zeit ist um")
    guest.check_page()
    thumbs_up = gpage.get_by_role("button", name="Daumen hoch: weitersprechen")
    press(gpage, thumbs_up, "Space")
    expect(thumbs_up).to_have_attribute("aria-pressed", "true")
    mate.page.get_by_role("button", name="Daumen hoch: weitersprechen").click()
    lead.page.get_by_role("button", name="Daumen zur Seite: egal").click()
    for person in (lead, mate, guest):
        result = person.page.locator("#lc-roman-result")
        expect(result).to_contain_text("Ergebnis: 2 hoch, 1 zur Seite, 0 runter")
        expect(result).to_contain_text("4 Min. 0 Sek.")
        expect(person.page.locator("#lc-clock")).to_have_attribute("data-status", "running")
        expect(column(person.page, "discussing")).to_contain_text("Hass im Netz")
    deadlines = {clock_deadline(p.page) for p in (lead, mate, guest)}
    assert len(deadlines) == 1 and "" not in deadlines, deadlines
    assert re.fullmatch(r"0[34]:\d\d", lead.page.locator("#lc-clock-digits").inner_text())

    # --- expiry again → thumbs down → the next topic (tie 1:1: the earlier topic first) ---
    live.advance(4 * 60 + 1)
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-roman")).to_have_attribute("data-open", "true")
    thumbs_down = gpage.get_by_role("button", name="Daumen runter: nächstes Thema")
    press(gpage, thumbs_down, "Enter")
    mate.page.get_by_role("button", name="Daumen runter: nächstes Thema").click()
    lead.page.get_by_role("button", name="Daumen runter: nächstes Thema").click()
    for person in (lead, mate, guest):
        expect(column(person.page, "discussing")).to_contain_text("Ganztag in der Grundschule")
        expect(column(person.page, "done")).to_contain_text("Hass im Netz")
        # The result was said; the next topic's timer shows no old vote under it.
        expect(person.page.locator("#lc-live")).to_contain_text("Weiter mit dem nächsten Thema")
        expect(person.page.locator("#lc-roman")).to_be_hidden()
    guest.check_page()
    assert_no_horizontal_scroll(gpage)

    # --- takeaways and action items on the discussed topic ---
    done = topic_card(mate.page, "Hass im Netz")
    done.get_by_label("Neue Erkenntnis").fill("Meldestellen der Länder nutzen")
    done.get_by_role("button", name="Erkenntnis hinzufügen").click()
    gdone = topic_card(gpage, "Hass im Netz")
    type_into(gpage, gdone.get_by_label("Was ist zu tun?"), "Leitfaden an alle schicken")
    gdone.get_by_label("Wer? (optional)").select_option(label="Jemand anderes …")
    type_into(gpage, gdone.get_by_label("Name, wenn nicht in der Liste"), "Gabi Gast")
    press(gpage, gdone.get_by_role("button", name="Aufgabe hinzufügen"))
    for person in (lead, mate, guest):
        card = topic_card(person.page, "Hass im Netz")
        expect(card).to_contain_text("Meldestellen der Länder nutzen")
        expect(card).to_contain_text("Leitfaden an alle schicken – Gabi Gast")
    expect(gdone.get_by_label("Was ist zu tun?")).to_have_value("")
    for person in (lead, mate, guest):
        person.check_page(signed_in=person is not guest)
    assert_no_horizontal_scroll(gpage)

    # --- wrap-up, closing line, end; summary and Markdown ---
    advance(lead, "Zum Abschluss")
    for person in (lead, mate, guest):
        wait_phase(person, "wrapup")
    mate.page.get_by_label("Ihre wichtigste Erkenntnis in einem Satz").fill(
        "Wir sind mit dem Thema nicht allein."
    )
    mate.page.locator("#lc-closing-form").get_by_role("button", name="Speichern").click()
    for person in (lead, mate, guest):
        expect(person.page.locator("#lc-closing-list")).to_contain_text("nicht allein")
    mate.check_page(signed_in=True)
    # The facilitator revokes the guest link: it admits nobody new (the guest stays).
    lead.page.get_by_role("button", name="Link sperren").click()
    expect(lead.page.locator("#lc-link")).to_contain_text("kein Link")
    latecomer = visitor()
    latecomer.goto(join_url.removeprefix(live.url), status=404)
    latecomer.check_page()
    expect(board(gpage)).to_have_attribute("data-connection", "connected")
    advance(lead, "Runde beenden")
    for person in (lead, mate, guest):
        wait_phase(person, "closed")

    gpage.get_by_role("link", name="Zusammenfassung", exact=True).click()
    gpage.wait_for_url(re.compile(rf"/runden/{round_id}/zusammenfassung$"))
    summary = gpage.get_by_role("main")
    expect(summary).to_contain_text("Hass im Netz")
    expect(summary).to_contain_text("Meldestellen der Länder nutzen")
    expect(summary).to_contain_text("Kommunale Wärmeplanung")
    guest.check_page()
    assert_no_horizontal_scroll(gpage)
    with gpage.expect_download() as download_info:
        gpage.get_by_role("link", name="Als Textdatei herunterladen").click()
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Hass im Netz" in markdown and "Leitfaden an alle schicken" in markdown
    assert "Punkte: 4" in markdown
    guest.goto(f"/runden/{round_id}/zusammenfassung?druck=1")
    expect(gpage.get_by_role("main")).to_contain_text("Hass im Netz")
    guest.check_page()

    # The same board in English.
    mate.page.get_by_role("button", name="English").click()
    expect(mate.page.locator("html")).to_have_attribute("lang", "en")
    wait_connected(mate)
    expect(mate.page.locator("#lc-phase-name")).to_have_text("Closed")
    # what was left in the queue is named as in the summary once the round is over
    expect(mate.page.get_by_role("heading", name=re.compile("^Not discussed"))).to_be_visible()
    expect(mate.page.locator("#lc-phase-hint")).to_contain_text("summary")
    mate.check_page(signed_in=True)

    # Signing out in another tab ends this session's live socket: the board says so.
    other_tab = mate.context.new_page()
    other_tab.goto(mate.url("/"))
    other_tab.get_by_role("button", name=re.compile("^(Abmelden|Sign out)$")).click()
    expect(board(mate.page)).to_have_attribute("data-connection", "ended")


def add_topic(person, title: str, detail: str = "") -> None:
    page = person.page
    form = page.locator("#lc-add-form")
    form.get_by_label("Thema", exact=True).fill(title)
    if detail:
        form.get_by_label("Eine Zeile dazu (optional)").fill(detail)
    form.get_by_role("button", name="Thema hinzufügen").click()
    expect(topic_card(page, title)).to_be_visible()
    expect(form.get_by_label("Thema", exact=True)).to_have_value("")


def vote(person, title: str, times: int) -> None:
    page = person.page
    budget = page.locator("#lc-board")
    for _ in range(times):
        left = int(budget.get_attribute("data-votes-left"))
        topic_card(page, title).get_by_role("button", name=re.compile("^Punkt geben")).click()
        expect(budget).to_have_attribute("data-votes-left", str(left - 1))
