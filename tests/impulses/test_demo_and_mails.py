"""The demo series (from the clock) and the calendar parts of the mails."""

from __future__ import annotations

import email
from email.policy import default

import icalendar
import recurring_ical_events
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.impulses.models import Registration, Series
from peerlab.impulses.service import registrations, series
from peerlab.notify.models import OutboxMail
from tests.impulses.conftest import make_series, quick_user


def test_demo_has_a_running_series_with_past_and_future_dates(app, now):
    from peerlab import demo

    assert demo.load()
    made = db.session.scalar(select(Series))
    assert len(made.impulses) == 6
    assert any(i.ends_at < now for i in made.impulses)
    assert any(i.starts_at > now for i in made.impulses)
    waiting = db.session.scalars(select(Registration).where(Registration.status == "waiting"))
    assert list(waiting)  # the fourth person waits


def _calendars(raw: bytes) -> list[tuple[str, icalendar.Calendar]]:
    msg = email.message_from_bytes(raw, policy=default)
    found = []
    for part in msg.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            found.append(
                (
                    part.get_content_type(),
                    icalendar.Calendar.from_ical(part.get_payload(decode=True)),
                )
            )
    return found


def test_confirmation_lists_every_date_with_an_invitation_per_confirmed_date(app, now, orga):
    made = make_series(now, orga, capacity=1, dates=3)
    other = quick_user(now, name="Erste")
    registrations.register(made.impulses[2], other, now=now)
    leader = quick_user(now, name="Lea")
    registrations.register_series(made, leader, now=now)
    db.session.commit()
    mail = db.session.scalar(
        select(OutboxMail).where(
            OutboxMail.user_id == leader.id, OutboxMail.kind == "impulses_confirmation"
        )
    )
    text = email.message_from_bytes(mail.raw, policy=default).get_body(("plain",)).get_content()
    assert text.count("Platz bestätigt") == 2 and text.count("Warteliste") >= 1
    parts = _calendars(mail.raw)
    assert [kind for kind, _ in parts] == ["application/ics", "application/ics"]
    uids = set()
    for _kind, cal in parts:
        assert cal["METHOD"] == "REQUEST"
        events = recurring_ical_events.of(cal).between(now, made.impulses[-1].ends_at)
        assert len(events) == 1
        uids.add(str(events[0]["UID"]))
    assert len(uids) == 2


def test_cancelled_impulse_is_a_method_cancel_with_higher_sequence(app, now, orga):
    made = make_series(now, orga, capacity=None, dates=1)
    anna = quick_user(now, name="Anna")
    registrations.register(made.impulses[0], anna, now=now)
    db.session.commit()
    series.cancel_impulse(made.impulses[0], actor=orga, now=now)
    db.session.commit()
    request, cancel = (
        _calendars(m.raw)[0][1]
        for m in db.session.scalars(
            select(OutboxMail).where(OutboxMail.user_id == anna.id).order_by(OutboxMail.id)
        )
    )
    assert cancel["METHOD"] == "CANCEL"
    first, second = (next(iter(c.walk("VEVENT"))) for c in (request, cancel))
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
