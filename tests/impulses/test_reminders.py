"""Reminders 24 h and 1 h before: queued once per (registration, kind), also when the due
item runs twice; none for waiting or cancelled people; not sent late; moved with the date."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default

from sqlalchemy import func, select, update

from peerlab.core import due
from peerlab.core.due import DueItem
from peerlab.extensions import db
from peerlab.impulses.service import registrations, reminders, series
from peerlab.notify.models import OutboxMail
from tests.impulses.conftest import make_series, quick_user


def _reminders(user=None) -> int:
    stmt = (
        select(func.count()).select_from(OutboxMail).where(OutboxMail.kind == "impulses_reminder")
    )
    if user is not None:
        stmt = stmt.where(OutboxMail.user_id == user.id)
    return db.session.scalar(stmt)


def test_reminders_once_each_only_for_confirmed_people(app, clock, now, orga):
    made = make_series(now, orga, capacity=2, hours_ahead=48)
    impulse = made.impulses[0]
    anna, ben, cem, dora = (quick_user(now, name=n) for n in ("Anna", "Ben", "Cem", "Dora"))
    for person in (anna, ben, cem):
        registrations.register(impulse, person, now=now)
    registrations.register(impulse, dora, now=now)  # waits behind Cem
    db.session.commit()
    registrations.cancel(impulse, ben, now=now)  # Cem moves up, Dora still waits
    db.session.commit()

    at_24 = impulse.starts_at - timedelta(hours=24) + timedelta(seconds=5)
    due.run_due(at_24)
    assert (_reminders(anna), _reminders(cem), _reminders(ben), _reminders(dora)) == (1, 1, 0, 0)

    # a restart: the same item is started again by an admin; no second mail per person
    item = db.session.scalar(
        select(DueItem).where(DueItem.kind == reminders.DUE_KIND).order_by(DueItem.due_at)
    )
    db.session.execute(update(DueItem).where(DueItem.id == item.id).values(done_at=None))
    db.session.commit()
    due.run_due(at_24 + timedelta(seconds=10))
    assert _reminders() == 2

    at_1 = impulse.starts_at - timedelta(hours=1) + timedelta(seconds=5)
    due.run_due(at_1)
    assert (_reminders(anna), _reminders(cem), _reminders(dora)) == (2, 2, 0)
    mail = db.session.scalar(
        select(OutboxMail).where(
            OutboxMail.kind == "impulses_reminder", OutboxMail.user_id == anna.id
        )
    )
    text = email.message_from_bytes(mail.raw, policy=default).get_body(("plain",)).get_content()
    assert "/impulse/platz/" in text and "https://meet.example.org/k" in text


def test_a_late_runner_does_not_send_and_late_confirmed_people_get_none(app, now, orga):
    made = make_series(now, orga, capacity=1, hours_ahead=30)
    impulse = made.impulses[0]
    anna, ben = quick_user(now, name="Anna"), quick_user(now, name="Ben")
    registrations.register(impulse, anna, now=now)
    registrations.register(impulse, ben, now=now)
    db.session.commit()
    # Ben moves up 20 hours before the start: the 24-hour reminder's time had passed
    registrations.cancel(impulse, anna, now=impulse.starts_at - timedelta(hours=20))
    db.session.commit()
    due.run_due(impulse.starts_at - timedelta(hours=20))  # the 24 h item ran late: not sent
    assert _reminders() == 0
    due.run_due(impulse.starts_at - timedelta(minutes=59))
    assert _reminders(ben) == 1


def test_a_moved_date_moves_its_reminders(app, now, orga):
    made = make_series(now, orga, capacity=None, hours_ahead=72)
    impulse = made.impulses[0]
    anna = quick_user(now, name="Anna")
    registrations.register(impulse, anna, now=now)
    db.session.commit()
    new_start = impulse.starts_at + timedelta(days=2)
    series.edit_impulse(
        impulse,
        series.ImpulseSettings(title=impulse.title, starts_at=new_start, minutes=30),
        actor=orga,
        now=now,
    )
    db.session.commit()
    pending = db.session.scalars(
        select(DueItem.due_at).where(DueItem.kind == reminders.DUE_KIND, DueItem.done_at.is_(None))
    ).all()
    assert sorted(pending) == [new_start - timedelta(hours=24), new_start - timedelta(hours=1)]
    # and the update went out as a calendar update
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.kind == "invitation_update")
        )
        == 1
    )


def test_cancelled_impulse_sends_cancel_and_no_reminders(app, now, orga):
    made = make_series(now, orga, capacity=None, hours_ahead=48)
    impulse = made.impulses[0]
    anna = quick_user(now, name="Anna")
    registrations.register(impulse, anna, now=now)
    db.session.commit()
    series.cancel_impulse(impulse, actor=orga, now=now)
    db.session.commit()
    raw = db.session.scalar(select(OutboxMail.raw).where(OutboxMail.kind == "invitation_cancel"))
    assert b"method=CANCEL" in raw
    due.run_due(impulse.starts_at - timedelta(minutes=59))
    assert _reminders() == 0


def test_reminders_can_be_switched_off_per_person(client, make_user, login, now):
    from tests.conftest import csrf_from

    orga = make_user("organizer")
    made = make_series(now, orga, capacity=None, hours_ahead=48)
    impulse = made.impulses[0]
    anna, ben = make_user(name="Anna"), make_user(name="Ben")
    registrations.register(impulse, anna, now=now)
    registrations.register(impulse, ben, now=now)
    db.session.commit()
    login(client, anna)
    page = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert "Erinnerungen per E-Mail" in page
    resp = client.post(
        f"/impulse/{made.id}/erinnerungen", data={"stunde": "1", "csrf_token": csrf_from(page)}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    due.run_due(impulse.starts_at - timedelta(hours=24) + timedelta(seconds=5))
    assert (_reminders(anna), _reminders(ben)) == (0, 1)  # Anna switched the day-before off
    due.run_due(impulse.starts_at - timedelta(minutes=59))
    assert (_reminders(anna), _reminders(ben)) == (1, 2)
