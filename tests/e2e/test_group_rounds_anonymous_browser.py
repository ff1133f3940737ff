"""An anonymous topic in a group's round, in a real browser at phone and laptop size: the board
says plainly that after 15 minutes nobody can tell who proposed it; the author's tab holds the
token (sessionStorage), sees the topic as its own after a reload and withdraws it with the token."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in
from tests.e2e.lean_coffee_board import topic_card, wait_connected
from tests.e2e.test_group_rounds_browser import _shot

pytestmark = pytest.mark.browser

TITLE = "Drohanrufe nach der Ratssitzung"


def _seed(database, owner, member, others) -> int:
    """A group allowing anonymity, its round, and four others already joined to the board."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.groups import rounds as group_rounds
    from peerlab.groups.service import groups as group_service
    from peerlab.groups.service import invites
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import rounds as lc_rounds

    now = server_time(database.base_url)
    real = group_service.JoinChoice(accept_rule=True, identity="real")
    with database.app_context():
        group = group_service.create_group(
            group_service.GroupSettings(name="Runde im Nordkreis", allow_anonymous=True),
            creator=db.session.get(User, owner.id),
            choice=real,
            now=now,
        )
        row = group_service.members(group)[0][0]
        for person in (member, *others):
            secret = invites.create_link(group, row, 7, now=now)
            invites.join(secret, db.session.get(User, person.id), real, now=now)
        day = (now.astimezone(ZoneInfo("Europe/Berlin")) + timedelta(days=1)).date()
        settings = lc_rounds.RoundSettings(
            title="Treffen im Nordkreis",
            starts_at=datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Europe/Berlin")),
            anonymous_allowed=True,
        )
        rnd = group_rounds.schedule(
            group, row, settings, creator=db.session.get(User, owner.id), now=now
        )
        for place in db.session.scalars(select(Participant).where(Participant.round_id == rnd.id)):
            if place.user_id != member.id:
                place.joined_at = now
        db.session.commit()
        round_id = rnd.id
        db.session.remove()
    return round_id


def test_the_author_tab_keeps_the_token_and_withdraws(visitor, live_users, window):
    owner = live_users.create("member", name="Anna Nordkreis")
    member = live_users.create("member", name="Bernd Nordkreis")
    others = [live_users.create("member", name=f"Mitglied {n} Nordkreis") for n in (1, 2, 3)]
    round_id = _seed(live_users, owner, member, others)

    person = visitor(**window)
    sign_in(person, member)
    page = person.goto(f"/runden/{round_id}")
    wait_connected(person)
    note = page.locator("#lc-anonymity-note")
    expect(note).to_contain_text("auch nicht der Betrieb")
    expect(note).to_contain_text("15 Minuten")
    form = page.locator("form[data-form=topic-add]")
    form.get_by_label("Thema", exact=True).fill(TITLE)
    form.get_by_label("Anonym einreichen").check()
    form.get_by_role("button", name="Thema hinzufügen").click()
    card = topic_card(page, TITLE)
    expect(card).to_contain_text("Anonym")
    expect(card).to_contain_text("Ihr Thema")
    assert "Bernd Nordkreis" not in card.inner_text()
    held = page.evaluate(f"window.sessionStorage.getItem('lc-topic-tokens:{round_id}')")
    assert held and '"token"' in held
    person.check_page(signed_in=True)
    _shot(person, "group-round-anonymous-topic", window)

    page.reload()  # the token comes along with round:join: still the author's own
    wait_connected(person)
    card = topic_card(page, TITLE)
    expect(card).to_contain_text("Ihr Thema")
    card.get_by_role("button", name=re.compile("Zurückziehen")).click()
    expect(topic_card(page, TITLE)).to_have_count(0)
    assert page.evaluate(f"window.sessionStorage.getItem('lc-topic-tokens:{round_id}')") is None
