"""A member joins the group's Lean Coffee round from the group page and adds a topic, in a real
browser at phone and laptop size (every page through `check_page`): the board names them by
their pseudonym in the group, presence is a count, and no summary file is offered."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in
from tests.e2e.lean_coffee_board import topic_card, wait_connected

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("PEERLAB_SHOTS", "/tmp/shots-group-rounds"))
GROUP = "Runde der Ostkreise"
PSEUDONYM = "Heitere Weser"


def _seed(database, owner, member, others) -> tuple[int, int]:
    """The group (owner by real name, the member under a pseudonym) and its round, made in
    the live server's database at the server's time."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.groups import rounds as group_rounds
    from peerlab.groups.service import groups as group_service
    from peerlab.groups.service import invites
    from peerlab.lean_coffee.service import rounds as lc_rounds

    now = server_time(database.base_url)
    real = group_service.JoinChoice(accept_rule=True, identity="real")
    alias = group_service.JoinChoice(accept_rule=True, identity="pseudonym", pseudonym=PSEUDONYM)
    with database.app_context():
        anna = db.session.get(User, owner.id)
        group = group_service.create_group(
            group_service.GroupSettings(name=GROUP, allow_anonymous=True),
            creator=anna,
            choice=real,
            now=now,
        )
        row = group_service.members(group)[0][0]
        for person, choice in ((member, alias), *((o, real) for o in others)):
            secret = invites.create_link(group, row, 7, now=now)
            invites.join(secret, db.session.get(User, person.id), choice, now=now)
        day = (now.astimezone(ZoneInfo("Europe/Berlin")) + timedelta(days=1)).date()
        settings = lc_rounds.RoundSettings(
            title="Treffen im Dezember",
            starts_at=datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Europe/Berlin")),
        )
        rnd = group_rounds.schedule(group, row, settings, creator=anna, now=now)
        db.session.commit()
        ids = (group.id, rnd.id)
        db.session.remove()
    return ids


def _shot(person, name: str, window: dict) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    person.page.screenshot(path=str(SHOTS / f"{name}-{window['width']}.png"), full_page=True)


def test_a_member_joins_the_group_round_and_adds_a_topic(visitor, live_users, window):
    owner = live_users.create("member", name="Anna Ostkreis")
    member = live_users.create("member", name="Bernd Ostkreis")
    others = [live_users.create("member", name=f"Mitglied {n} Ostkreis") for n in (1, 2)]
    group_id, round_id = _seed(live_users, owner, member, others)

    person = visitor(**window)
    sign_in(person, member)
    page = person.goto(f"/gruppen/{group_id}")
    rounds = page.locator("#group-rounds-upcoming")
    expect(rounds.get_by_role("link", name="Treffen im Dezember")).to_be_visible()
    person.check_page(signed_in=True)
    _shot(person, "group-page-with-round", window)

    rounds.get_by_role("link", name="Treffen im Dezember").click()
    page.wait_for_url(re.compile(rf"/runden/{round_id}$"))
    wait_connected(person)
    expect(page.get_by_text(f"Sie sind hier als {PSEUDONYM}.")).to_be_visible()
    expect(page.locator("#lc-presence")).to_contain_text("1")
    form = page.locator("form[data-form=topic-add]")
    form.get_by_label("Thema", exact=True).fill("Personenschutz bei Bürgersprechstunden")
    form.get_by_role("button", name="Thema hinzufügen").click()
    card = topic_card(page, "Personenschutz bei Bürgersprechstunden")
    expect(card).to_be_visible()
    expect(card).to_contain_text(PSEUDONYM)
    content = page.content()
    assert "Bernd Ostkreis" not in content and "Textdatei" not in content
    assert GROUP not in content  # the board names no group
    person.check_page(signed_in=True)
    _shot(person, "group-round-board", window)
