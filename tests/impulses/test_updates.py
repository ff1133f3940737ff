"""A changed time or link reaches every confirmed registrant as a calendar update (same UID,
higher SEQUENCE, METHOD:REQUEST) with a plain-text mail; a cancellation as METHOD:CANCEL. Both
independent parsers read what is sent. People waiting get a plain mail without a calendar part;
people who gave their place back get nothing more."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default

from sqlalchemy import select

from peerlab.extensions import db
from peerlab.impulses.calendar_source import uid_of
from peerlab.impulses.service import registrations, series
from peerlab.notify.models import OutboxMail
from tests.ical.parsers import icaljs, icaljs_occurrences, rie_occurrences
from tests.impulses.conftest import make_series, quick_user


def _calendar(mail: OutboxMail) -> tuple[bytes, str]:
    msg = email.message_from_bytes(mail.raw, policy=default)
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True), part.get_param("method")
    raise AssertionError("no calendar part")


def _mails(kind: str) -> dict[int, OutboxMail]:
    rows = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind)).all()
    return {row.user_id: row for row in rows}


def test_time_change_and_cancellation_reach_every_confirmed_registrant(app, now, orga):
    made = make_series(now, orga, capacity=2, hours_ahead=72)
    impulse = made.impulses[0]
    anna, ben, cleo, dora = (quick_user(now, name=n) for n in ("Anna", "Ben", "Cleo", "Dora"))
    for person in (anna, ben, cleo, dora):
        registrations.register(impulse, person, now=now)  # Anna, Ben confirmed; Cleo, Dora wait
    registrations.cancel(impulse, ben, now=now)  # Cleo moves up
    registrations.register(impulse, ben, now=now)  # Ben again: waits behind Dora
    registrations.cancel(impulse, anna, now=now)  # Dora moves up
    registrations.register(impulse, anna, now=now)  # Anna waits
    db.session.commit()
    confirmed = {r.user_id for r in registrations.listing(impulse)[0]}
    assert confirmed == {cleo.id, dora.id}

    new_start = (impulse.starts_at + timedelta(days=1, hours=2)).replace(microsecond=0)
    series.edit_impulse(
        impulse,
        series.ImpulseSettings(title="Impuls neu", starts_at=new_start, minutes=45),
        actor=orga,
        now=now,
    )
    db.session.commit()
    updates = _mails("invitation_update")
    assert set(updates) == confirmed
    for user_id, mail in updates.items():
        body, method = _calendar(mail)
        assert method == "REQUEST"
        js, rie = icaljs_occurrences(body), rie_occurrences(body)
        assert [o.start_utc for o in js] == [o.start_utc for o in rie] == [new_start]
        assert {o.uid for o in js} == {uid_of(impulse.id)}
        sequence = icaljs(body)["events"][0]["sequence"]
        assert sequence >= 1
        text = email.message_from_bytes(mail.raw, policy=default).get_body(("plain",))
        assert "Impuls neu" in text.get_content()
        assert user_id in confirmed

    # the people waiting hold no invitation: a plain mail, without a calendar part
    notices = _mails("impulses_waiting_notice")
    assert set(notices) == {anna.id, ben.id}
    for mail in notices.values():
        msg = email.message_from_bytes(mail.raw, policy=default)
        assert not [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert mail.subject == "Neue Zeit: Impuls neu"
        assert "Warteliste" in msg.get_body(("plain",)).get_content()

    series.cancel_impulse(impulse, actor=orga, now=now)
    db.session.commit()
    cancelled = db.session.scalars(
        select(OutboxMail.user_id).where(OutboxMail.subject == "Abgesagt: Impuls neu")
    ).all()
    assert sorted(cancelled) == sorted([anna.id, ben.id])
    cancels = _mails("invitation_cancel")
    # the two with a place now; Anna and Ben had their own CANCEL when they gave theirs back
    assert {cleo.id, dora.id} <= set(cancels)
    body, method = _calendar(cancels[cleo.id])
    assert method == "CANCEL"
    assert icaljs(body)["events"][0]["sequence"] > sequence
