"""The board once the discussion is over (review of the issue 8 merges): the queue's topics are
named as the summary names them, and a card shows no empty note headings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.lean_coffee_board import (
    advance,
    seed_round,
    topic_card,
    wait_connected,
    wait_phase,
)

pytestmark = pytest.mark.browser


def _to_discussion(live_users, round_id: int) -> None:
    """Voting over and the first topic under discussion with one action item (straight in
    the database)."""
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant, Round
    from peerlab.lean_coffee.service import discussion, notes, rounds
    from tests.e2e.harness import server_time

    now = server_time(live_users.base_url)
    with live_users.app_context():
        rnd = db.session.get(Round, round_id)
        rounds.advance_phase(rnd, "vote", now=now)
        rounds.advance_phase(rnd, "discuss", now=now)
        me = db.session.query(Participant).filter_by(round_id=rnd.id).first()
        current = discussion.current_topic(rnd)
        notes.add_action(rnd, me, current.id, "Leitfaden verschicken", now=now)
        db.session.commit()
        db.session.remove()


def test_after_the_discussion_the_queue_is_not_discussed(visitor, live_users, window):
    organizer = live_users.create("organizer", name="Dr. Miriam Lindner")
    member = live_users.create("member", name="Jonas Petersen")
    topics = [("Wärmeplanung", ""), ("Glasfaser in Ortsteilen", "")]
    round_id = seed_round(live_users, organizer, [member], topics=topics)
    person = visitor(**window)
    sign_in(person, member)
    person.goto(f"/runden/{round_id}")
    wait_connected(person)
    heading = person.page.locator("#lc-col-open")
    expect(heading).to_contain_text("Zu besprechen")

    _to_discussion(live_users, round_id)
    lead = visitor(**window)
    sign_in(lead, organizer)
    for someone in (person, lead):
        someone.goto(f"/runden/{round_id}")
        wait_connected(someone)
        wait_phase(someone, "discuss")
    expect(heading).to_contain_text("Zu besprechen (1)")

    # Live: the facilitator ends the discussion; the member's board renames the queue.
    advance(lead, "Zum Abschluss")
    wait_phase(person, "wrapup")
    expect(heading).to_contain_text("Nicht besprochen (1)")
    expect(heading).not_to_contain_text("Zu besprechen")
    person.check_page(signed_in=True)

    advance(lead, "Runde beenden")
    wait_phase(person, "closed")
    expect(heading).to_contain_text("Nicht besprochen (1)")
    # A closed card lists its action item under "Aufgaben"; no "Erkenntnisse" over nothing.
    done = topic_card(person.page, person.page.locator("#lc-list-done h3").first.inner_text())
    expect(done).to_contain_text("Leitfaden verschicken")
    expect(done.get_by_role("heading", name="Aufgaben", exact=True)).to_be_visible()
    expect(done.get_by_role("heading", name="Erkenntnisse", exact=True)).to_have_count(0)
    person.check_page(signed_in=True)
