"""An action item from a Lean Coffee round on its owner's dashboard, ticked off in the browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_buttons_hold_their_labels, server_time, sign_in

pytestmark = pytest.mark.browser

# The vertical middle of the first to-do's link text and of its "Erledigt" label.
ROW = """() => {
  const item = document.querySelector("#aufgaben").parentElement.querySelector("li");
  const link = item.querySelector("a").getBoundingClientRect();
  const label = item.querySelector("button .kern-label").getBoundingClientRect();
  return {link: (link.top + link.bottom) / 2, button: (label.top + label.bottom) / 2,
          sameRow: label.top < link.bottom};
}"""


def _round_with_action_for(live_users, organizer, member) -> str:
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import notes, rounds, topics

    now = server_time(live_users.base_url)
    what = "Leitfaden zur Wärmeplanung verschicken"
    with live_users.app_context():
        orga, mem = db.session.get(User, organizer.id), db.session.get(User, member.id)
        rnd = rounds.create_round(
            rounds.RoundSettings(title="Aufgabenrunde", starts_at=now + timedelta(minutes=5)),
            creator=orga,
            invitees=[mem],
            now=now,
        )
        fac, owner = (
            db.session.query(Participant).filter_by(round_id=rnd.id, user_id=u.id).one()
            for u in (orga, mem)
        )
        topic = topics.add_topic(rnd, owner, "Wärmeplanung", now=now)
        rounds.advance_phase(rnd, "vote", now=now)
        rounds.advance_phase(rnd, "discuss", now=now)
        notes.add_action(rnd, fac, topic.id, what, owner_participant_id=owner.id, now=now)
        db.session.commit()
        db.session.remove()
    return what


def test_owner_ticks_off_an_action_item(visitor, live_users, window):
    organizer = live_users.create("organizer", name="Ole Orga")
    member = live_users.create("member", name="Mia Mitglied")
    what = _round_with_action_for(live_users, organizer, member)

    person = visitor(**window)
    sign_in(person, member)
    page = person.page
    todos = page.get_by_role("region", name="Meine Aufgaben")
    expect(todos).to_contain_text(what)
    person.check_page(signed_in=True)
    assert_buttons_hold_their_labels(page)  # "Erledigt" is no icon-sized square
    # "Erledigt" on the row of its action item sits on the line of the item's link.
    row = page.evaluate(ROW)
    if row["sameRow"]:
        assert abs(row["button"] - row["link"]) <= 4, f"'Erledigt' is off the item's line: {row}"
    todos.get_by_role("button", name=re.compile(r"^Erledigt")).click()
    expect(page.get_by_role("status").first).to_contain_text("ist erledigt")
    expect(page.get_by_role("region", name="Meine Aufgaben")).not_to_contain_text(what)
    person.check_page(signed_in=True)
