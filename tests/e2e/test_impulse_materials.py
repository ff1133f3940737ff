"""Impulse materials and the one-click release link in the browser: the organizer uploads a
file, a registrant frees the place from the reminder mail without signing in, the person
waiting moves up and gets the material once the date is over; the organizer writes to all
registrants through the preview. With PEERLAB_SHOTS=<folder> each new page is kept."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import links_in_mail, server_time, sign_in
from tests.e2e.test_impulses import SHOTS

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shoot(person, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        person.page.evaluate("document.fonts.ready.then(() => true)")
        width = person.page.viewport_size["width"]
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _series(live_users, orga, anna, ben, title: str) -> tuple[int, int]:
    """A series with one date 25 hours ahead and one place: Anna has it, Ben waits."""
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.impulses.service import registrations, series

    now = server_time(live_users.base_url)
    with live_users.app_context():
        o, a, b = (db.session.get(User, p.id) for p in (orga, anna, ben))
        made = series.create_series(
            series.SeriesSettings(title=title, capacity=1, video_url="https://meet.example.org/m"),
            actor=o,
            now=now,
        )
        (impulse,) = series.add_impulses(
            made,
            [
                series.ImpulseSettings(
                    title="Förderprogramme im Überblick",
                    starts_at=now + timedelta(hours=25),
                    minutes=30,
                )
            ],
            actor=o,
            now=now,
        )
        registrations.register(impulse, a, now=now)
        registrations.register(impulse, b, now=now)
        db.session.commit()
        ids = (made.id, impulse.id)
        db.session.remove()
    return ids


def test_material_release_link_and_mail_to_registrants(
    visitor, live, live_users, smtp_server, window, tmp_path
):
    orga = live_users.create("organizer", name="Olga Orga")
    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    title = f"Fördermittel {os.urandom(3).hex()}"
    series_id, impulse_id = _series(live_users, orga, anna, ben, title)
    slides = tmp_path / "Folien Förderung.pdf"
    slides.write_bytes(PDF)

    organizer = visitor(**window)
    sign_in(organizer, orga)
    page = organizer.goto(f"/impulse/{series_id}")
    page.locator(f"#termin-{impulse_id}").get_by_role("link", name="Material verwalten").click()
    expect(page.get_by_role("heading", name="Material", exact=True)).to_be_visible()
    organizer.check_page(signed_in=True)
    main = page.locator("main")
    # a file above 20 MB is stopped in the browser with the server's sentence
    huge = tmp_path / "riesig.pdf"
    with huge.open("wb") as handle:  # sparse: 21 MB without writing them
        handle.write(b"%PDF-")
        handle.truncate(21 << 20)
    main.get_by_label("Datei").set_input_files(str(huge))
    main.get_by_role("button", name="Hochladen").click()
    expect(main.locator(".pl-size-error")).to_have_text(
        "Die Datei ist zu groß. Erlaubt sind höchstens 20 MB."
    )
    organizer.check_page(signed_in=True)
    main.get_by_label("Datei").set_input_files(str(slides))
    main.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Die Datei ist gespeichert.")).to_be_visible()
    expect(main.get_by_role("link", name="Folien Förderung")).to_be_visible()
    main.get_by_label("Titel", exact=True).last.fill("Linkliste")
    main.get_by_label("Link", exact=True).fill("keine adresse")
    main.get_by_role("button", name="Link speichern").click()
    expect(main.locator(".kern-error")).to_contain_text("vollständigen Link")
    _shoot(organizer, "impulses-materials")
    organizer.check_page(signed_in=True)

    # the 24-hour reminder carries the signed link
    smtp_server.recorder.clear()
    live.advance(3600 + 60)
    (reminder,) = smtp_server.recorder.wait_for(anna.email)
    (link,) = [u for u in links_in_mail(reminder, live.url) if "/impulse/platz/" in u]
    stranger = visitor(**window)  # not signed in: the link is the permission
    page_r = stranger.goto(link.removeprefix(live.url))
    expect(page_r.get_by_role("heading", name="Platz freigeben")).to_be_visible()
    _shoot(stranger, "impulses-release")
    stranger.check_page(signed_in=False)
    page_r.locator("main").get_by_role("button", name="Platz freigeben").click()
    expect(page_r.get_by_text("Ihr Platz ist freigegeben.")).to_be_visible()
    expect(page_r.get_by_text("Dieser Platz ist schon freigegeben.")).to_be_visible()
    _shoot(stranger, "impulses-released")
    stranger.check_page(signed_in=False)

    waiting = visitor(**window)
    sign_in(waiting, ben)
    page_b = waiting.goto(f"/impulse/{series_id}")
    date_b = page_b.locator(f"#termin-{impulse_id}")
    expect(date_b).to_contain_text("Ihr Platz ist bestätigt.")
    expect(date_b.get_by_role("link", name="Folien Förderung")).to_have_count(0)
    waiting.check_page(signed_in=True)

    # the organizer writes to everyone registered, through the preview
    page.goto(organizer.url(f"/impulse/{series_id}"))
    _shoot(organizer, "impulses-series-organizer")
    organizer.check_page(signed_in=True)
    page.get_by_role("link", name="E-Mail an alle Angemeldeten").click()
    main.get_by_label("Betreff").fill("Folien vorab")
    main.get_by_label("Nachricht").fill("Guten Morgen,\ndie Folien folgen nach dem Termin.")
    _shoot(organizer, "impulses-message")
    organizer.check_page(signed_in=True)
    main.get_by_role("button", name="Vorschau ansehen").click()
    expect(main).to_contain_text("Die Nachricht geht an 1 Person")
    _shoot(organizer, "impulses-message-preview")
    organizer.check_page(signed_in=True)
    main.get_by_role("button", name="Jetzt senden").click()
    expect(page.get_by_text("Die Nachricht geht an 1 Personen")).to_be_visible()
    mails = smtp_server.recorder.wait_for(ben.email, count=2)  # moved up, then the message
    assert sorted(m["Subject"] for m in mails)[0] == "Folien vorab"

    # after the date, Ben (moved up) gets the material
    live.advance(25 * 3600)
    page_b.reload()
    material = page_b.locator(f"#termin-{impulse_id}").get_by_role("link", name="Folien Förderung")
    expect(material).to_be_visible()
    _shoot(waiting, "impulses-series-materials")
    waiting.check_page(signed_in=True)
    with page_b.expect_download() as download:
        material.click()
    assert download.value.suggested_filename == "Folien-Förderung.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # attendance is ticked after the date
    page.goto(organizer.url(f"/impulse/termin/{impulse_id}/teilnehmende"))
    box = page.locator("main").get_by_label(re.compile("^Ben Berg"))
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.get_by_text("Anwesenheit gespeichert.")).to_be_visible()
    expect(page.locator("main").get_by_label(re.compile("^Ben Berg"))).to_be_checked()
    organizer.check_page(signed_in=True)


def test_a_visitor_subscribes_to_a_public_series(visitor, live_users, window):
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.impulses.service import series

    orga = live_users.create("organizer", name="Olga Orga")
    title = f"Offene Reihe {os.urandom(3).hex()}"
    now = server_time(live_users.base_url)
    with live_users.app_context():
        made = series.create_series(
            series.SeriesSettings(
                title=title, audience="public", video_url="https://meet.example.org/geheim"
            ),
            actor=db.session.get(User, orga.id),
            now=now,
        )
        series.add_impulses(
            made,
            [
                series.ImpulseSettings(
                    title=f"Teil {n}", starts_at=now + timedelta(days=3 + 14 * n), minutes=30
                )
                for n in range(2)
            ],
            actor=db.session.get(User, orga.id),
            now=now,
        )
        db.session.commit()
        series_id = made.id
        db.session.remove()

    guest = visitor(**window)
    page = guest.goto(f"/impulse/{series_id}")
    subscribe = page.locator("main").get_by_role("link", name="Abonnieren", exact=True)
    expect(subscribe).to_have_attribute("href", re.compile(r"^webcal://.*/kalender\.ics$"))
    _shoot(guest, "impulses-public-series")
    guest.check_page(signed_in=False)
    ics = page.request.get(guest.url(f"/impulse/{series_id}/kalender.ics"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    body = ics.text()
    assert body.count("BEGIN:VEVENT") == 2 and "Teil 1" in body
    assert "geheim" not in body
