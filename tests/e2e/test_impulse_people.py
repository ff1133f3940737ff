"""Speakers, questions and feedback of an impulse in the browser: the organizer adds a guest
speaker and reads the personal link, a registrant sends a question, the guest opens the link
(counts and the question, no names), an attendee gives anonymous feedback after the date.
With PEERLAB_SHOTS=<folder> the test keeps a screenshot of each new page."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ["PEERLAB_SHOTS"]) if os.environ.get("PEERLAB_SHOTS") else None


def _shoot(person, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _series_starting_soon(live_users, orga, people, attending) -> int:
    """A series with one date 20 minutes from the server's now; `people` registered,
    `attending` ticked as present. Returns the series id."""
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.impulses.service import registrations, series

    now = server_time(live_users.base_url)
    with live_users.app_context():
        organizer = db.session.get(User, orga.id)
        made = series.create_series(
            series.SeriesSettings(title=f"Impulse {os.urandom(3).hex()}", capacity=None),
            actor=organizer,
            now=now,
        )
        series.add_impulses(
            made,
            [
                series.ImpulseSettings(
                    title="Bürgerhaushalt in 30 Minuten",
                    starts_at=now + timedelta(minutes=20),
                    minutes=30,
                )
            ],
            actor=organizer,
            now=now,
        )
        impulse = made.impulses[0]
        rows = {
            p.id: registrations.register(impulse, db.session.get(User, p.id), now=now)
            for p in people
        }
        registrations.set_attended(impulse, {rows[p.id].id for p in attending}, actor=organizer)
        db.session.commit()
        series_id = made.id
        db.session.remove()
    return series_id


def test_speaker_link_question_and_feedback(visitor, live, live_users, window):
    orga = live_users.create("organizer", name="Olga Orga")
    anna = live_users.create("member", name="Anna Amsel", municipality="Neustadt")
    ben = live_users.create("member", name="Ben Berg", municipality="Altdorf")
    series_id = _series_starting_soon(live_users, orga, [anna, ben], [anna])

    organizer = visitor(**window)
    sign_in(organizer, orga)
    page = organizer.goto(f"/impulse/{series_id}")
    page.locator("main li[id^=termin-]").first.get_by_role("link", name="Referierende").click()
    main = page.locator("main")
    main.get_by_role("button", name="Gast eintragen").click()
    expect(main.locator(".kern-error").first).to_be_visible()  # empty name: a clear message
    main.get_by_label("Name", exact=True).fill("Gerda Gast")
    main.get_by_label("E-Mail-Adresse", exact=True).fill("gerda@example.org")
    main.get_by_role("button", name="Gast eintragen").click()
    expect(page.get_by_text("Eingetragen. Die Person bekommt eine E-Mail.")).to_be_visible()
    link = main.locator(".pl-speaker-link a").get_attribute("href")
    assert link and "/impulse/referent/" in link
    _shoot(organizer, "impulses-speakers")
    organizer.check_page(signed_in=True)

    asker = visitor(**window)
    sign_in(asker, ben)
    page_b = asker.goto(f"/impulse/{series_id}")
    expect(page_b.locator("main")).to_contain_text("Mit Gerda Gast")
    page_b.get_by_role("link", name="Frage stellen").click()
    expect(page_b.locator("main")).to_contain_text(
        "Fragen können anonym als Thema an eine Lean-Coffee-Runde weitergegeben werden."
    )
    page_b.get_by_label("Ihre Frage").fill("Wie beteiligen wir junge Menschen?")
    page_b.get_by_role("button", name="Frage senden").click()
    expect(page_b.get_by_text("Ihre Frage ist angekommen.")).to_be_visible()
    _shoot(asker, "impulses-question")
    asker.check_page(signed_in=True)

    guest = visitor(**window)
    page_g = guest.goto(link.removeprefix(live.url))
    guest_main = page_g.locator("main")
    expect(guest_main).to_contain_text("2 Plätze bestätigt")
    expect(guest_main).to_contain_text("Wie beteiligen wir junge Menschen?")
    for name in ("Anna Amsel", "Ben Berg"):
        expect(guest_main).not_to_contain_text(name)
    expect(guest_main).to_contain_text("Die Ergebnisse erscheinen")
    _shoot(guest, "impulses-speaker-link")
    guest.check_page(signed_in=False)

    live.advance(51 * 60)  # the date is over: feedback is open
    attendee = visitor(**window)
    sign_in(attendee, anna)
    page_a = attendee.goto(f"/impulse/{series_id}")
    page_a.get_by_role("link", name="Feedback geben").click()
    expect(page_a.locator("main")).to_contain_text("Ihr Feedback ist anonym")
    page_a.get_by_role("button", name="Feedback senden").click()
    expect(page_a.get_by_text("Bitte wählen Sie eine Bewertung von 1 bis 5.")).to_be_visible()
    _shoot(attendee, "impulses-feedback-error")
    attendee.check_page(signed_in=True)
    page_a.get_by_label("4", exact=True).check()
    page_a.get_by_label("Kommentar").fill("Kurz und konkret.")
    _shoot(attendee, "impulses-feedback")
    page_a.get_by_role("button", name="Feedback senden").click()
    expect(page_a.get_by_text("Danke für Ihr Feedback.")).to_be_visible()
    expect(page_a.get_by_role("link", name="Feedback geben")).to_have_count(0)
    attendee.check_page(signed_in=True)

    # after the date: a follow-up question, marked for the organizer
    page_a.get_by_role("link", name="Nachfrage stellen").click()
    expect(page_a.locator("main")).to_contain_text(
        "Nachfragen können anonym als Thema an eine Lean-Coffee-Runde weitergegeben werden."
    )
    page_a.get_by_label("Ihre Frage").fill("Gibt es ein Beispiel aus einer kleinen Gemeinde?")
    page_a.get_by_role("button", name="Nachfrage senden").click()
    expect(page_a.get_by_text("Ihre Nachfrage ist angekommen.")).to_be_visible()
    _shoot(attendee, "impulses-follow-up")
    attendee.check_page(signed_in=True)
    page = organizer.goto(f"/impulse/{series_id}")
    page.locator("main li[id^=termin-]").first.get_by_role(
        "link", name="Fragen und Nachfragen"
    ).click()
    expect(page.locator("main")).to_contain_text(
        "Nachfrage: Gibt es ein Beispiel aus einer kleinen Gemeinde?"
    )
    expect(page.locator("main")).to_contain_text("Anna Amsel")
    _shoot(organizer, "impulses-questions-list")
    organizer.check_page(signed_in=True)
