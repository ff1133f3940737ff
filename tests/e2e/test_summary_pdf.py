"""The summary page offers the PDF as a copy to print (the page is the accessible version); the
download from the gevent live server holds the round's content."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import server_time, sign_in
from tests.lean_coffee.test_summary_pdf import LINK_DE, SPECIAL, pdf_text

pytestmark = pytest.mark.browser


def _finished_round(live_users, organizer, member) -> int:
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import discussion, notes, rounds, topics

    now = server_time(live_users.base_url)
    with live_users.app_context():
        orga, mem = db.session.get(User, organizer.id), db.session.get(User, member.id)
        rnd = rounds.create_round(
            rounds.RoundSettings(title="Runde zur Wärmeplanung", starts_at=now),
            creator=orga,
            invitees=[mem],
            now=now - timedelta(days=1),
        )
        fac, mate = (
            db.session.query(Participant).filter_by(round_id=rnd.id, user_id=u.id).one()
            for u in (orga, mem)
        )
        fac.joined_at = mate.joined_at = now
        topic = topics.add_topic(rnd, mate, f"Besuch bei {SPECIAL}", now=now)
        rounds.advance_phase(rnd, "vote", now=now)
        rounds.advance_phase(rnd, "discuss", now=now)
        notes.add_takeaway(rnd, fac, topic.id, "Bürgerdialog früh beginnen", now=now)
        discussion.next_topic(rnd, now=now)
        rounds.advance_phase(rnd, "wrapup", now=now)
        db.session.commit()
        round_id = rnd.id
        db.session.remove()
    return round_id


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_summary_offers_the_pdf_as_a_copy_to_print(visitor, live_users, width, height):
    organizer = live_users.create("organizer", name="Ole Orga")
    member = live_users.create("member", name="Mia Mitglied")
    round_id = _finished_round(live_users, organizer, member)

    person = visitor(width=width, height=height)
    sign_in(person, member)
    page = person.goto(f"/runden/{round_id}/zusammenfassung")
    expect(page.get_by_role("main")).to_contain_text(SPECIAL)
    person.check_page(signed_in=True)
    link = page.get_by_role("link", name=LINK_DE)
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("Lean-Coffee-Runde-zur-W")
    text = pdf_text(Path(download.path()).read_bytes())
    assert SPECIAL in text and "Bürgerdialog früh beginnen" in text
