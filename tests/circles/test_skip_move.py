"""Skipping and moving single dates: the ONE series changes (same UID, higher SEQUENCE,
METHOD:REQUEST to every member), checked with both independent parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import select

from peerlab.circles import schedule
from peerlab.circles.models import Circle
from peerlab.circles.models_schedule import ScheduleChange
from peerlab.circles.service import circles as service
from peerlab.circles.service import schedule_changes as changes
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.ical import service as ical_service
from peerlab.notify.models import OutboxMail
from tests.circles.conftest import actor, settings_from
from tests.ical.parsers import components, icaljs_occurrences, rie_occurrences, unfolded
from tests.notify import mime


@pytest.fixture
def feb(app, people, clock):
    """Created 3 February 2026: Tuesdays 18:00 Berlin from 17 February; Anna moderates, Ben
    accepted (both have the series), Carl is still invited."""
    clock.set(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    now = clock.now()
    circle = service.create_circle(
        settings_from(
            now,
            start_date=date(2026, 2, 17),
            local_time=time(18, 0),
            invitees=(people.ben.id, people.carl.id),
        ),
        creator=people.anna,
        now=now,
    )
    service.answer_invitation(circle.id, actor(people.ben), accept=True, now=now)
    db.session.commit()
    return db.session.get(Circle, circle.id)


def _download(circle, user, clock) -> bytes:
    return ical_service.download("circles.circle", circle.id, user, clock.now())[1]


def _last_request(user) -> bytes:
    raw = db.session.scalars(
        select(OutboxMail.raw).where(OutboxMail.to_addr == user.email).order_by(OutboxMail.id)
    ).all()[-1]
    return mime.calendar_bytes(message_from_bytes(raw, policy=default))


def _days(body: bytes) -> list:
    """(UTC start, local start) of every occurrence; both parsers must agree."""
    py = [(o.start_utc, o.start_local) for o in rie_occurrences(body)]
    js = [(o.start_utc, o.start_local) for o in icaljs_occurrences(body)]
    assert py == js
    return py


def _uid_and_sequence(body: bytes) -> tuple[set[str], set[int]]:
    events = components(body, "VEVENT")
    return {str(e["UID"]) for e in events}, {int(e["SEQUENCE"]) for e in events}


def test_twelve_dates_then_twelve_after_appending(feb, people, clock):
    before = _download(feb, people.anna, clock)
    assert len(_days(before)) == 12
    uids, (seq_before,) = _uid_and_sequence(before)
    changes.skip(feb.id, actor(people.anna), 3, append=True, now=clock.now())  # 3 March
    db.session.commit()
    for body in (_download(feb, people.anna, clock), _last_request(people.ben)):
        days = _days(body)
        assert len(days) == 12
        starts = [d[0] for d in days]
        assert datetime(2026, 3, 3, 17, 0, tzinfo=UTC) not in starts
        assert starts[-1] == datetime(2026, 5, 12, 16, 0, tzinfo=UTC)  # one week after 5 May
        assert {local[11:] for _utc, local in days} == {"18:00:00"}
        new_uids, (seq,) = _uid_and_sequence(body)
        assert new_uids == uids and seq > seq_before
    assert "RRULE:FREQ=WEEKLY;COUNT=13" in unfolded(_last_request(people.ben))
    assert b"METHOD:REQUEST" in _last_request(people.anna)
    # the focus follows the meeting number: 10 March is now meeting 3
    third = schedule.meeting(feb, 3)
    assert third.starts_at == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert len(schedule.of(feb)) == 12


def test_eleven_dates_after_only_dropping(feb, people, clock):
    changes.skip(feb.id, actor(people.anna), 3, append=False, now=clock.now())
    db.session.commit()
    for body in (_download(feb, people.anna, clock), _last_request(people.ben)):
        days = _days(body)
        assert len(days) == 11
        assert datetime(2026, 3, 3, 17, 0, tzinfo=UTC) not in [d[0] for d in days]
        assert days[-1][0] == datetime(2026, 5, 5, 16, 0, tzinfo=UTC)
    assert any(
        line.startswith("EXDATE;TZID=Europe/Berlin:20260303T180000")
        for line in unfolded(_last_request(people.ben))
    )
    assert [m.number for m in schedule.of(feb)] == list(range(1, 12))


def test_moving_one_date_changes_only_that_date(feb, people, clock):
    before = _download(feb, people.anna, clock)
    _uids, (seq_before,) = _uid_and_sequence(before)
    # 17 March (CET) to Thursday 19 March 19:30 Berlin = 18:30 UTC
    changes.move(feb.id, actor(people.anna), 5, date(2026, 3, 19), time(19, 30), now=clock.now())
    db.session.commit()
    for body in (_download(feb, people.anna, clock), _last_request(people.ben)):
        days = _days(body)
        assert len(days) == 12
        starts = [d[0] for d in days]
        assert datetime(2026, 3, 19, 18, 30, tzinfo=UTC) in starts
        assert datetime(2026, 3, 17, 17, 0, tzinfo=UTC) not in starts
        assert datetime(2026, 3, 31, 16, 0, tzinfo=UTC) in starts  # the others stay, DST too
        assert any(
            line.startswith("RECURRENCE-ID;TZID=Europe/Berlin:20260317T180000")
            for line in unfolded(body)
        )
        uids, seqs = _uid_and_sequence(body)
        assert len(uids) == 1 and min(seqs) > seq_before
    moved = schedule.meeting(feb, 5)
    assert moved.moved and moved.starts_at == datetime(2026, 3, 19, 18, 30, tzinfo=UTC)


def test_a_move_across_the_summer_time_change_stays_at_local_time(feb, people, clock):
    # 31 March 18:00 (CEST) to Thursday 2 April 18:00 (CEST), 24 March stays in CET
    changes.move(feb.id, actor(people.anna), 7, date(2026, 4, 2), time(18, 0), now=clock.now())
    db.session.commit()
    assert schedule.meeting(feb, 7).starts_at == datetime(2026, 4, 2, 16, 0, tzinfo=UTC)
    assert schedule.meeting(feb, 6).starts_at == datetime(2026, 3, 24, 17, 0, tzinfo=UTC)


def test_every_member_with_the_series_gets_the_update(feb, people, clock):
    def count(user):
        return len(
            db.session.scalars(select(OutboxMail.id).where(OutboxMail.to_addr == user.email)).all()
        )

    before = {p: count(p) for p in (people.anna, people.ben, people.carl)}
    changes.skip(feb.id, actor(people.anna), 4, append=True, now=clock.now())
    db.session.commit()
    assert count(people.anna) == before[people.anna] + 1
    assert count(people.ben) == before[people.ben] + 1
    assert count(people.carl) == before[people.carl]  # not yet accepted: no calendar


def _unchanged(feb, people, clock, call, message_part):
    seq = _uid_and_sequence(_download(feb, people.anna, clock))[1]
    mails = db.session.scalars(select(OutboxMail.id)).all()
    with pytest.raises(InvalidInput) as err:
        call()
    assert message_part in err.value.message
    db.session.rollback()
    assert db.session.scalars(select(ScheduleChange)).all() == []
    assert db.session.scalars(select(OutboxMail.id)).all() == mails
    assert _uid_and_sequence(_download(feb, people.anna, clock))[1] == seq


def test_bad_moves_change_nothing(feb, people, clock):
    anna = actor(people.anna)
    now = clock.now()
    _unchanged(
        feb,
        people,
        clock,
        lambda: changes.move(feb.id, anna, 5, date(2026, 3, 24), time(18, 0), now=now),
        "schon Treffen 6",
    )
    _unchanged(
        feb,
        people,
        clock,
        lambda: changes.move(feb.id, anna, 5, date(2026, 4, 1), time(18, 0), now=now),
        "zwischen",
    )
    # 29 March 2026, 02:30 does not exist in Berlin (clocks jump from 02:00 to 03:00)
    _unchanged(
        feb,
        people,
        clock,
        lambda: changes.move(feb.id, anna, 7, date(2026, 3, 29), time(2, 30), now=now),
        "Uhrzeit",
    )
    clock.set(datetime(2026, 2, 18, 9, 0, tzinfo=UTC))  # meeting 1 is over
    _unchanged(
        feb,
        people,
        clock,
        lambda: changes.move(feb.id, anna, 2, date(2026, 2, 17), time(20, 0), now=clock.now()),
        "Vergangenheit",
    )


def test_a_started_meeting_cannot_change(feb, people, clock):
    from peerlab.core.errors import Conflict

    clock.set(datetime(2026, 2, 17, 17, 10, tzinfo=UTC))
    with pytest.raises(Conflict):
        changes.skip(feb.id, actor(people.anna), 1, append=True, now=clock.now())
    with pytest.raises(NotFound):
        changes.skip(feb.id, actor(people.anna), 40, append=True, now=clock.now())


def test_only_the_facilitator_changes_dates(feb, people, clock):
    now = clock.now()
    with pytest.raises(Forbidden):
        changes.skip(feb.id, actor(people.ben), 3, append=True, now=now)
    for person in (people.carl, people.outsider, people.orga, people.admin):
        with pytest.raises(NotFound):
            changes.skip(feb.id, actor(person), 3, append=True, now=now)
    assert db.session.scalars(select(ScheduleChange)).all() == []


def test_skipping_the_first_date_keeps_the_series_start(feb, people, clock):
    """DTSTART stays on the rule's first slot (now an EXDATE); both parsers agree."""
    changes.skip(feb.id, actor(people.anna), 1, append=True, now=clock.now())
    changes.move(feb.id, actor(people.anna), 2, date(2026, 2, 25), time(9, 0), now=clock.now())
    db.session.commit()
    body = _last_request(people.ben)
    assert any(
        line.startswith("DTSTART;TZID=Europe/Berlin:20260217T180000") for line in unfolded(body)
    )
    days = _days(body)
    assert len(days) == 12
    assert days[0] == (datetime(2026, 2, 25, 8, 0, tzinfo=UTC), "2026-02-25T09:00:00")
    assert schedule.meeting(feb, 1).starts_at == days[0][0]
