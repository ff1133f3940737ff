"""A new check-in tells the other active members' daily digest that there is something new
(no circle, no content); the writer and invited members are not reported, an edit reports
nothing more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.circles.service import checkins
from peerlab.core import due
from peerlab.extensions import db
from peerlab.notify.models import DigestSetting, OutboxMail
from tests.circles.conftest import actor


def test_a_new_check_in_reaches_the_others_digest_without_content(running, people, clock):
    now = clock.now()
    text = checkins.CheckInText("Drei Ämter besucht", "Protokoll teilen")
    checkins.save(running.id, actor(people.anna), 1, text, now=now)
    db.session.commit()
    flagged = {row.user_id for row in db.session.scalars(select(DigestSetting))}
    assert flagged == {people.ben.id}
    checkins.save(running.id, actor(people.anna), 1, checkins.CheckInText("Neu", "x"), now=now)
    db.session.commit()
    due.run_due(now + timedelta(days=1, hours=1))
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "digest")).all()
    assert [m.user_id for m in mails] == [people.ben.id]
    raw = mails[0].raw.decode()
    for secret in ("Digitale Verwaltung", "Drei", "Anna", "Circle"):
        assert secret not in raw
