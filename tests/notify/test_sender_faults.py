"""Reliable mail: refusals are retried and each mail arrives once; a crash in the moment of
sending repeats the mail with the same Message-ID (at least once, recognisably the same)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.ical import invitations
from peerlab.notify import sender
from peerlab.notify.models import OutboxMail
from tests.ical.circle_source import SERIES_START, FakeCircle

KIND = "testcircle.meeting"


@pytest.fixture
def invited(mail_app, smtp, circles, person, mail_clock):
    organizer = person(name="Ute Orga", role="organizer")
    people = [
        person(name="Anna Beispiel"),
        person(name="Ben Example", language="en"),
        person(name="Cem Muster"),
    ]
    circles.add(FakeCircle(3, "Kollegiale Beratung", SERIES_START, {p.id for p in people}))
    for user in people:
        invitations.invite(KIND, 3, user, now=mail_clock.now(), organizer=organizer)
    db.session.commit()
    return people


def _outbox_ids() -> dict[str, str]:
    rows = db.session.scalars(select(OutboxMail)).all()
    return {row.to_addr: row.message_id for row in rows}


def _received_ids(smtp) -> list[str]:
    return [str(m["Message-ID"]) for m in smtp.recorder.parsed()]


def test_refused_mails_are_retried_and_each_arrives_exactly_once(invited, smtp, mail_clock):
    smtp.recorder.refuse_next = 2
    assert sender.send_due(mail_clock.now()) == 1  # two refused, the third accepted
    assert len(smtp.recorder.messages) == 1
    assert sender.send_due(mail_clock.now()) == 0  # the refused ones wait for their back-off
    mail_clock.advance(sender.backoff(1).total_seconds())
    assert sender.send_due(mail_clock.now()) == 2
    mail_clock.advance(3600)
    assert sender.send_due(mail_clock.now()) == 0
    received = _received_ids(smtp)
    assert sorted(received) == sorted(_outbox_ids().values())
    assert len(set(received)) == 3
    for user in invited:
        (msg,) = smtp.recorder.to(user.email)
        assert str(msg["Message-ID"]) == _outbox_ids()[user.email]
    rows = db.session.scalars(select(OutboxMail)).all()
    assert all(row.sent_at is not None and row.failed_at is None for row in rows)
    assert sorted(row.attempts for row in rows) == [1, 2, 2]


class Crash(BaseException):
    """The process dies right after the SMTP server accepted the mail."""


def test_crash_in_the_moment_of_sending_repeats_with_the_same_message_id(
    invited, smtp, mail_clock, monkeypatch
):
    real_transmit = sender._transmit

    def transmit_then_die(mail):
        real_transmit(mail)
        raise Crash

    monkeypatch.setattr(sender, "_transmit", transmit_then_die)
    with pytest.raises(Crash):
        sender.send_due(mail_clock.now())
    db.session.rollback()  # what the dead process had not committed is gone
    monkeypatch.setattr(sender, "_transmit", real_transmit)

    assert len(smtp.recorder.messages) == 1
    first = smtp.recorder.parsed()[0]
    # While the claim holds, nobody sends that mail again (the other two go out).
    assert sender.send_due(mail_clock.now()) == 2
    assert len(smtp.recorder.messages) == 3
    mail_clock.advance(sender.CLAIM_SECONDS + 1)
    assert sender.send_due(mail_clock.now()) == 1
    repeated = smtp.recorder.to(str(first["To"]))
    assert len(repeated) == 2
    assert str(repeated[0]["Message-ID"]) == str(repeated[1]["Message-ID"])
    assert smtp.recorder.messages.count(smtp.recorder.messages[0]) == 2  # the same bytes
    assert sender.send_due(mail_clock.now() + timedelta(hours=1)) == 0
