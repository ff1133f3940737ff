"""Capacity and the waiting list: held by the database, promoted in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models import Impulse
from peerlab.impulses.service import registrations, series
from tests.impulses.conftest import mails_to, make_series, quick_user, statuses


def test_full_date_puts_the_next_person_on_the_waiting_list(app, now, orga):
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    anna, ben = quick_user(now, name="Anna"), quick_user(now, name="Ben")
    assert registrations.register(impulse, anna, now=now).status == "confirmed"
    assert registrations.register(impulse, ben, now=now).status == "waiting"
    db.session.commit()
    assert impulse.confirmed_count == 1
    assert mails_to(anna, "impulses_confirmation") == 1


def test_cancellation_promotes_exactly_the_head_with_one_mail(app, now, orga):
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    people = [quick_user(now, name=f"P{n}") for n in range(4)]
    for person in people:
        registrations.register(impulse, person, now=now)
    db.session.commit()
    before = {p.id: mails_to(p) for p in people}
    registrations.cancel(impulse, people[0], now=now)
    db.session.commit()
    assert statuses(impulse) == [
        (people[0].id, "cancelled"),
        (people[1].id, "confirmed"),
        (people[2].id, "waiting"),
        (people[3].id, "waiting"),
    ]
    assert mails_to(people[1]) - before[people[1].id] == 1
    assert mails_to(people[1], "impulses_moved_up") == 1
    assert mails_to(people[2]) == before[people[2].id]
    assert mails_to(people[3]) == before[people[3].id]
    # the person who gave the place back gets a calendar cancellation
    assert mails_to(people[0], "invitation_cancel") == 1


def test_new_registration_joins_the_end_while_anyone_waits(app, now, orga):
    made = make_series(now, orga, capacity=2)
    impulse = made.impulses[0]
    a, b, c = (quick_user(now, name=n) for n in "ABC")
    for person in (a, b, c):
        registrations.register(impulse, person, now=now)
    # the organizer later frees a place by hand in the database (not possible in the app):
    # a newcomer must still not jump the queue
    db.session.execute(update(Impulse).where(Impulse.id == impulse.id).values(confirmed_count=1))
    d = quick_user(now, name="D")
    assert registrations.register(impulse, d, now=now).status == "waiting"


def test_raising_capacity_by_three_promotes_exactly_three(app, now, orga):
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    people = [quick_user(now, name=f"P{n}") for n in range(6)]
    for person in people:
        registrations.register(impulse, person, now=now)
    db.session.commit()
    moved = series.set_capacity(impulse, 4, now=now)
    db.session.commit()
    assert moved == 3
    assert [s for _, s in statuses(impulse)] == ["confirmed"] * 4 + ["waiting"] * 2
    assert sum(mails_to(p, "impulses_moved_up") for p in people) == 3


def test_lowering_capacity_below_confirmed_is_refused(app, now, orga):
    made = make_series(now, orga, capacity=3)
    impulse = made.impulses[0]
    for n in range(3):
        registrations.register(impulse, quick_user(now, name=f"P{n}"), now=now)
    db.session.commit()
    with pytest.raises(InvalidInput):
        series.set_capacity(impulse, 2, now=now)
    db.session.rollback()
    with pytest.raises(InvalidInput):
        series.update_series(
            made,
            series.SeriesSettings(title="Kurzimpulse", capacity=1),
            actor=orga,
            now=now,
        )
    db.session.rollback()
    assert db.session.get(Impulse, impulse.id).capacity == 3


def test_no_automatic_moving_up_two_hours_before_start(app, now, orga):
    made = make_series(now, orga, capacity=1, hours_ahead=3)
    impulse = made.impulses[0]
    a, b = quick_user(now, name="A"), quick_user(now, name="B")
    registrations.register(impulse, a, now=now)
    registrations.register(impulse, b, now=now)
    db.session.commit()
    late = now + timedelta(hours=1, minutes=5)
    registrations.cancel(impulse, a, now=late)
    db.session.commit()
    assert statuses(impulse) == [(a.id, "cancelled"), (b.id, "waiting")]
    assert impulse.confirmed_count == 0  # the organizer sees the free place


def test_whole_series_in_one_click_one_mail(app, now, orga):
    made = make_series(now, orga, capacity=1, dates=3)
    first = quick_user(now, name="First")
    registrations.register(made.impulses[1], first, now=now)
    leader = quick_user(now, name="Leader")
    rows = registrations.register_series(made, leader, now=now)
    db.session.commit()
    assert [r.status for r in rows] == ["confirmed", "waiting", "confirmed"]
    assert mails_to(leader) == 1  # one confirmation, invitations attached


def test_capacity_check_constraint_holds_in_the_database(app, now, orga):
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Impulse).where(Impulse.id == impulse.id).values(confirmed_count=2)
        )
        db.session.flush()
    db.session.rollback()
