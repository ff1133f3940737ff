"""A circle's dates in the browser: the facilitator skips a week with "an das Ende anhängen"
(the default), at phone and laptop size, `check_page` on every page; the move, members,
leaving and closing pages pass it too. Dates come from the server's clock.
PEERLAB_SHOTS=<folder> keeps full-page screenshots."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in
from tests.e2e.test_circles import _shot

pytestmark = pytest.mark.browser


def test_skip_a_week_and_append_it(visitor, live_users, window):
    from peerlab.accounts.actors import Actor
    from peerlab.accounts.models import User
    from peerlab.circles import schedule
    from peerlab.circles.service import circles as service
    from peerlab.extensions import db

    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    now = server_time(live_users.base_url)
    start = now.astimezone(ZoneInfo("Europe/Berlin")).date() + timedelta(days=2)
    with live_users.app_context():
        creator = db.session.get(User, anna.id)
        circle = service.create_circle(
            service.CircleSettings(
                name="Offene Verwaltung",
                weekday=start.weekday(),
                local_time=(now + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Berlin")).time(),
                zone="Europe/Berlin",
                start_date=start,
                video_url="https://meet.example.org/ov",
                invitees=(ben.id,),
            ),
            creator=creator,
            now=now,
        )
        member = db.session.get(User, ben.id)
        service.answer_invitation(
            circle.id, Actor("user", ben.id, "Ben Berg", user=member), accept=True, now=now
        )
        circle_id = circle.id
        dates = schedule.of(circle)
        second_day = dates[1].starts_at
        last_day = dates[-1].starts_at
        db.session.commit()
        db.session.remove()

    person = visitor(**window)
    sign_in(person, anna)
    page = person.goto(f"/circles/{circle_id}")
    main = page.locator("main")
    main.get_by_role("link", name="Termine und Absagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termine")
    expect(main).to_contain_text("12 Treffen")
    person.check_page(signed_in=True)
    _shot(person, "circle-dates")
    main.get_by_role("link", name="Ausfallen lassen …").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treffen 2 ausfallen lassen")
    expect(main.get_by_label("An das Ende anhängen", exact=False)).to_be_checked()
    person.check_page(signed_in=True)
    _shot(person, "circle-skip")
    main.get_by_role("button", name="Treffen ausfallen lassen").click()
    expect(page.get_by_role("status").first).to_contain_text("am Ende angehängt")
    expect(main).to_contain_text("12 Treffen")
    times = main.locator("li.pl-circle-date time")
    attrs = [times.nth(i).get_attribute("datetime") for i in range(times.count())]
    assert second_day.isoformat() not in attrs
    assert (last_day + timedelta(weeks=1)).isoformat() in attrs
    person.check_page(signed_in=True)

    # the other new pages pass the same checks
    main.get_by_role("link", name="Verschieben …").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verschieben")
    person.check_page(signed_in=True)
    _shot(person, "circle-move")
    for path, name in (
        (f"/circles/{circle_id}/mitglieder", "circle-members"),
        (f"/circles/{circle_id}/verlassen", "circle-leave"),
        (f"/circles/{circle_id}/abschluss", "circle-closing"),
    ):
        person.goto(path)
        person.check_page(signed_in=True)
        _shot(person, name)
    person.goto(f"/circles/{circle_id}")
    person.check_page(signed_in=True)
    _shot(person, "circle-page-links")
    assert re.search(r"Treffen 1 von 12", page.locator("main").inner_text())


def test_after_the_last_meeting_reflect_and_renew(visitor, live_users, window):
    """A circle started 13 weeks before the server's now: its archive, the reflection and
    "Erneuern" (services take `now`, so the past start needs no clock change)."""
    from peerlab.accounts.actors import Actor
    from peerlab.accounts.models import User
    from peerlab.circles.service import circles as service
    from peerlab.extensions import db

    anna = live_users.create("member", name="Anna Amsel")
    ben = live_users.create("member", name="Ben Berg")
    now = server_time(live_users.base_url)
    then = now - timedelta(weeks=13)
    berlin = ZoneInfo("Europe/Berlin")
    with live_users.app_context():
        circle = service.create_circle(
            service.CircleSettings(
                name="Gute Verwaltung",
                weekday=1,
                local_time=(then + timedelta(hours=2)).astimezone(berlin).time(),
                zone="Europe/Berlin",
                start_date=then.astimezone(berlin).date() + timedelta(days=1),
                invitees=(ben.id,),
            ),
            creator=db.session.get(User, anna.id),
            now=then,
        )
        member = db.session.get(User, ben.id)
        service.answer_invitation(
            circle.id, Actor("user", ben.id, "Ben Berg", user=member), accept=True, now=then
        )
        circle_id = circle.id
        db.session.commit()
        db.session.remove()

    person = visitor(**window)
    sign_in(person, anna)
    page = person.goto(f"/circles/{circle_id}")
    main = page.locator("main")
    expect(main).to_contain_text("Dieser Circle ist jetzt ein Archiv")
    person.check_page(signed_in=True)
    main.get_by_role("link", name="Abschluss und Rückblick").click()
    main.get_by_label("Mein Rückblick", exact=False).fill("Ich habe drei Kommunen kennengelernt.")
    main.get_by_role("button", name="Rückblick speichern").click()
    expect(main).to_contain_text("Ich habe drei Kommunen kennengelernt.")
    person.check_page(signed_in=True)
    _shot(person, "circle-closing-open")
    main.get_by_role("button", name="Erneuern: zwölf weitere Treffen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gute Verwaltung – neue Runde")
    expect(main).to_contain_text("Treffen 1 von 12")
    person.check_page(signed_in=True)
    person.goto("/circles/")
    expect(page.locator("main")).to_contain_text("Archiv")
    person.check_page(signed_in=True)
    _shot(person, "circle-list-archive")
