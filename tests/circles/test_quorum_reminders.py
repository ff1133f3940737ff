"""Quorum marks and mails (at most one "findet nicht statt" and one "findet doch statt" per
date), and the reminder due items: due once, switched off per member, moved or dropped with
their date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from peerlab.circles import schedule
from peerlab.circles.models import Circle
from peerlab.circles.service import checkins, quorum, reminders
from peerlab.circles.service import circles as service
from peerlab.circles.service import schedule_changes as changes
from peerlab.core import due
from peerlab.core.errors import Conflict, NotFound
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail
from tests.circles.conftest import actor, settings_from


@pytest.fixture
def four(app, people, quick_user, clock):
    """Anna (moderation), Ben, Carl and Dora, all active; Tuesdays 18:00 Berlin from 17 Feb."""
    clock.set(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    now = clock.now()
    people.dora = quick_user(name="Dora Dorn")
    circle = service.create_circle(
        settings_from(
            now,
            start_date=date(2026, 2, 17),
            invitees=(people.ben.id, people.carl.id, people.dora.id),
        ),
        creator=people.anna,
        now=now,
    )
    for person in (people.ben, people.carl, people.dora):
        service.answer_invitation(circle.id, actor(person), accept=True, now=now)
    db.session.commit()
    return db.session.get(Circle, circle.id)


def _mails(kind: str) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind)))


def test_quorum_mails_go_out_at_most_once_each(four, people, clock):
    now = clock.now()

    def mark(person, cannot):
        quorum.mark(four.id, actor(person), 2, cannot=cannot, now=now)
        db.session.commit()

    mark(people.ben, True)  # three can: no mail
    assert _mails(quorum.OFF) == []
    mark(people.carl, True)  # two can: everyone hears it once
    assert sorted(m.to_addr for m in _mails(quorum.OFF)) == sorted(
        p.email for p in (people.anna, people.ben, people.carl, people.dora)
    )
    mark(people.dora, True)
    mark(people.carl, False)
    assert len(_mails(quorum.OFF)) == 4 and _mails(quorum.ON) == []
    mark(people.dora, False)  # three again: "findet doch statt", once
    assert len(_mails(quorum.ON)) == 4
    mark(people.ben, True)
    mark(people.ben, False)
    assert len(_mails(quorum.OFF)) == 4 and len(_mails(quorum.ON)) == 4
    meeting = schedule.by_slot(four, 2)
    assert quorum.status(four, meeting).reached
    # another date has its own mails
    mark_other = quorum.mark
    for person in (people.ben, people.carl):
        mark_other(four.id, actor(person), 3, cannot=True, now=now)
    assert len(_mails(quorum.OFF)) == 8


def test_marks_need_a_member_and_a_date_ahead(four, people, clock):
    for person in (people.outsider, people.orga, people.admin):
        with pytest.raises(NotFound):
            quorum.mark(four.id, actor(person), 2, cannot=True, now=clock.now())
    clock.set(datetime(2026, 2, 17, 17, 5, tzinfo=UTC))
    with pytest.raises(Conflict):
        quorum.mark(four.id, actor(people.ben), 1, cannot=True, now=clock.now())


def test_the_day_before_checks_the_quorum_too(four, people, clock):
    from peerlab.circles.service import lifecycle

    now = clock.now()
    quorum.mark(four.id, actor(people.ben), 2, cannot=True, now=now)
    lifecycle.leave(four.id, actor(people.carl), keep_checkins=True, now=now)  # no check here
    db.session.commit()
    assert _mails(quorum.OFF) == []
    meeting = schedule.by_slot(four, 2)
    clock.set(meeting.starts_at - timedelta(hours=24))
    due.apply_due_items(clock.now())
    assert sorted(m.to_addr for m in _mails(quorum.OFF)) == sorted(
        p.email for p in (people.anna, people.ben, people.dora)
    )


def _due_run(at: datetime) -> None:
    due.apply_due_items(at)


def test_reminders_the_day_before_and_a_nudge_each_once(four, people, clock):
    first = schedule.meeting(four, 1)
    reminders.set_reminders(four.id, actor(people.dora), False, now=clock.now())
    checkins.save(
        four.id, actor(people.ben), 1, checkins.CheckInText("Viel", "Mehr"), now=clock.now()
    )
    quorum.mark(four.id, actor(people.carl), 1, cannot=True, now=clock.now())
    db.session.commit()
    _due_run(first.starts_at - timedelta(hours=25))
    assert _mails("circles_reminder") == []
    _due_run(first.starts_at - timedelta(hours=24))
    _due_run(first.starts_at - timedelta(hours=23))
    assert sorted(m.to_addr for m in _mails("circles_reminder")) == sorted(
        [people.anna.email, people.ben.email]  # Dora switched off, Carl can't come
    )
    _due_run(first.starts_at - timedelta(hours=3))
    assert [m.to_addr for m in _mails("circles_nudge")] == [people.anna.email]  # Ben checked in
    # each at most once, even when the item runs again
    item = db.session.scalars(
        select(due.DueItem).where(due.DueItem.kind == reminders.NUDGE).order_by(due.DueItem.id)
    ).first()
    reminders.apply_nudge(item, first.starts_at - timedelta(hours=2))
    db.session.commit()
    assert len(_mails("circles_nudge")) == 1
    text = _mails("circles_reminder")[0].raw.decode("utf-8", "replace")
    assert "Viel" not in text and "Digitale Verwaltung" in text


def test_a_moved_date_moves_its_reminders_and_a_skipped_one_drops_them(four, people, clock):
    now = clock.now()
    third, fourth = schedule.by_slot(four, 3), schedule.by_slot(four, 4)
    changes.move(four.id, actor(people.anna), 3, date(2026, 3, 5), time(18, 0), now=now)
    changes.skip(four.id, actor(people.anna), 4, append=True, now=now)
    db.session.commit()
    payloads = [i.payload["starts_at"] for i in reminders.pending(four)]
    assert "20260305T1700Z" in payloads
    assert third.starts_at.strftime("%Y%m%dT%H%MZ") not in payloads
    assert fourth.starts_at.strftime("%Y%m%dT%H%MZ") not in payloads
    assert "20260512T1600Z" in payloads  # the appended date has its reminders

    def reminded(slot: int) -> int:
        return len(
            db.session.scalars(
                select(OutboxMail.id).where(
                    OutboxMail.cause_key.like(f"circle:{four.id}:{reminders.DAY_BEFORE}:{slot}:%")
                )
            ).all()
        )

    _due_run(third.starts_at - timedelta(hours=23))  # the old time: nothing for slot 3
    assert reminded(3) == 0
    _due_run(datetime(2026, 3, 4, 17, 0, tzinfo=UTC))  # a day before its new time
    assert reminded(3) == 4
    _due_run(fourth.starts_at - timedelta(hours=23))
    assert reminded(4) == 0


def test_switching_reminders_is_per_member_and_for_members_only(four, people, clock):
    me = service.members(four)
    reminders.set_reminders(four.id, actor(people.ben), False, now=clock.now())
    reminders.set_reminders(four.id, actor(people.ben), False, now=clock.now())
    states = {u.id: reminders.wants_reminders(row) for row, u in me}
    assert states[people.ben.id] is False and states[people.anna.id] is True
    with pytest.raises(NotFound):
        reminders.set_reminders(four.id, actor(people.outsider), False, now=clock.now())
