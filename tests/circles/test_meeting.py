"""The live weekly meeting as services with the injected clock: the turn plan (present, absent
with and without a check-in, latecomer), the speaking-time account, expiry, roles, notes and
who may do anything at all."""

from __future__ import annotations

import pytest

from peerlab.circles import meeting_payload
from peerlab.circles.meeting_models import CircleMeeting
from peerlab.circles.service import checkins
from peerlab.circles.service import circles as circles_service
from peerlab.circles.service import meeting as service
from peerlab.core import agenda, due, presence
from peerlab.core.agenda import ADVANCE, WAIT
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from tests.circles.conftest import actor, settings_from

ANNA, BEN, CARL, DORA = (service.Person(i, n) for i, n in enumerate("ABCD", start=1))


def test_plan_gives_present_members_equal_time_and_reads_absent_check_ins():
    steps = service.plan(
        [ANNA, BEN, CARL, DORA],
        present={1, 3},
        checked_in={2},
        total_seconds=45 * 60,
        exercise_seconds=10 * 60,
        exercise_label="Übung",
    )
    assert [(s.tag, s.holder_id, s.duration_seconds, s.on_expiry) for s in steps] == [
        ("exercise", None, 600, WAIT),
        ("turn", 1, 1020, ADVANCE),  # (2700 - 600 - 60) / 2
        ("checkin", 2, 60, ADVANCE),
        ("turn", 3, 1020, ADVANCE),
    ]  # Dora: absent, no check-in: skipped


def test_plan_without_exercise_and_a_floor_of_one_minute():
    steps = service.plan(
        [ANNA, BEN], {1, 2}, set(), total_seconds=60, exercise_seconds=0, exercise_label="x"
    )
    assert [(s.tag, s.duration_seconds) for s in steps] == [("turn", 60), ("turn", 60)]
    assert service.turn_seconds(1000, 3) == 330  # whole ten seconds
    assert service.rotating_facilitator([ANNA, BEN, CARL], 1) == 1
    assert service.rotating_facilitator([ANNA, BEN, CARL], 5) == 2


@pytest.fixture
def circle(app, people, quick_user, clock):
    """Anna (circle facilitator), Ben, Carl and Dora are active; Ben checked in for meeting 1."""
    now = clock.now()
    dora = quick_user(name="Dora Dorn")
    people.dora = dora
    made = circles_service.create_circle(
        settings_from(now, invitees=(people.ben.id, people.carl.id, dora.id)),
        creator=people.anna,
        now=now,
    )
    for person in (people.ben, people.carl, dora):
        circles_service.answer_invitation(made.id, actor(person), accept=True, now=now)
    checkins.save(
        made.id, actor(people.ben), 1, checkins.CheckInText("Viel passiert", "Anrufen"), now=now
    )
    db.session.commit()
    return made


def join(circle, user, sid, now):
    """What `meeting:join` does for the services: enter, be present, a latecomer's turn."""
    _c, meeting = service.enter(circle.id, actor(user), now)
    presence.join(service.room(meeting), user.id, sid, now=now, namespace="/circles")
    me = next(p for p in service.people(circle) if p.user_id == user.id)
    service.add_latecomer(meeting, me, now=now)
    db.session.commit()
    return meeting


def start(circle, user, now, total=45, exercise=10):
    c, meeting = service.enter(circle.id, actor(user), now)
    service.start(c, meeting, actor(user), total_minutes=total, exercise_minutes=exercise, now=now)
    db.session.commit()
    return meeting


def snap(circle, meeting, now):
    db.session.expire_all()
    return meeting_payload.snapshot(circle, db.session.get(CircleMeeting, meeting.id), now)


def test_a_meeting_with_turns_check_in_expiry_latecomer_and_speaking_time(
    app, circle, people, clock
):
    meeting = join(circle, people.anna, "sid-anna", clock.now())
    join(circle, people.carl, "sid-carl", clock.now())
    assert meeting.facilitator_id == people.anna.id  # week 1: the circle's facilitator

    with pytest.raises(Forbidden):
        start(circle, people.carl, clock.now())
    db.session.rollback()
    start(circle, people.anna, clock.now())

    s = snap(circle, meeting, clock.now())
    assert s["status"] == "running"
    items = s["agenda"]["items"]
    assert [(i["tag"], i["holder"] and i["holder"]["id"]) for i in items] == [
        ("exercise", None),
        ("turn", people.anna.id),
        ("checkin", people.ben.id),
        ("turn", people.carl.id),
    ]
    assert s["checkins"] == {
        str(people.ben.id): {"happened": "Viel passiert", "next_step": "Anrufen", "need_help": ""}
    }
    assert str(people.dora.id) not in s["checkins"]
    assert s["agenda"]["timer"]["ends_at"] is not None

    # The exercise waits for the facilitator; the timekeeper may move on too.
    due.run_due(clock.advance(601))
    assert snap(circle, meeting, clock.now())["agenda"]["status"] == "waiting"
    _c, m = service.enter(circle.id, actor(people.anna), clock.now())
    service.set_roles(_c, m, actor(people.anna), people.anna.id, people.carl.id)
    db.session.commit()
    agenda.advance(
        service.running_agenda(m), actor=actor(people.carl), now=clock.now(), expected_index=0
    )
    db.session.commit()

    # Anna speaks a minute longer than planned: visible, not cut off.
    agenda.extend(service.running_agenda(m), 60, actor=actor(people.anna), now=clock.advance(500))
    db.session.commit()
    due.run_due(clock.advance(1020 + 60 - 500 + 1))
    s = snap(circle, meeting, clock.now())
    assert s["agenda"]["current_index"] == 2  # Ben's check-in, read out for a minute
    anna = next(a for a in s["accounts"] if a["user_id"] == people.anna.id)
    assert (anna["used_seconds"], anna["overrun_seconds"], anna["remaining_seconds"]) == (
        1080,
        60,
        0,
    )
    assert [a["user_id"] for a in s["accounts"]] == [people.anna.id, people.carl.id]

    # Dora comes late: her turn is added at the end, once.
    join(circle, people.dora, "sid-dora", clock.now())
    join(circle, people.dora, "sid-dora-2", clock.now())
    s = snap(circle, meeting, clock.now())
    assert [(i["tag"], i["holder"]["id"]) for i in s["agenda"]["items"][1:]][-1] == (
        "turn",
        people.dora.id,
    )
    assert len(s["agenda"]["items"]) == 5
    assert s["agenda"]["items"][-1]["duration_seconds"] == 1020

    due.run_due(clock.advance(61))  # the check-in step advances by itself
    assert snap(circle, meeting, clock.now())["agenda"]["current_index"] == 3
    due.run_due(clock.advance(1021))
    due.run_due(clock.advance(1021))
    s = snap(circle, meeting, clock.now())
    assert s["status"] == "finished" and s["agenda"]["status"] == "finished"
    assert db.session.get(CircleMeeting, meeting.id).ended_at is not None


def test_the_facilitator_role_can_be_handed_on_or_taken_when_absent(app, circle, people, clock):
    meeting = join(circle, people.ben, "sid-ben", clock.now())
    join(circle, people.anna, "sid-anna", clock.now())
    c, m = service.enter(circle.id, actor(people.ben), clock.now())
    with pytest.raises(Conflict):
        service.take_over(c, m, actor(people.ben))  # Anna, the facilitator, is here
    with pytest.raises(Forbidden):
        service.set_roles(c, m, actor(people.ben), people.ben.id, 0)
    with pytest.raises(InvalidInput):
        service.set_roles(c, m, actor(people.anna), people.anna.id, people.anna.id)
    with pytest.raises(InvalidInput):
        service.set_roles(c, m, actor(people.anna), people.outsider.id, 0)
    db.session.rollback()

    presence.leave(service.room(meeting), "sid-anna")
    c, m = service.enter(circle.id, actor(people.ben), clock.now())
    service.take_over(c, m, actor(people.ben))
    db.session.commit()
    assert db.session.get(CircleMeeting, meeting.id).facilitator_id == people.ben.id
    assert service.may_facilitate(meeting.id, actor(people.ben))
    assert not service.may_facilitate(meeting.id, actor(people.anna))


def test_notes_refuse_a_stale_version_and_too_long_text(app, circle, people, clock):
    join(circle, people.anna, "sid-anna", clock.now())
    _c, m = service.enter(circle.id, actor(people.ben), clock.now())
    service.save_notes(m, "Ben hilft Anna beim Anruf.", 0)
    db.session.commit()
    _c, m = service.enter(circle.id, actor(people.anna), clock.now())
    with pytest.raises(Conflict):
        service.save_notes(m, "überschreibt", 0)
    with pytest.raises(InvalidInput):
        service.save_notes(m, "x" * (service.NOTES_MAX + 1), 1)
    db.session.rollback()
    assert service.notes_by_number(circle, actor(people.carl)) == {1: "Ben hilft Anna beim Anruf."}
    with pytest.raises(NotFound):
        service.notes_by_number(circle, actor(people.outsider))


def test_bad_start_settings_change_nothing(app, circle, people, clock):
    join(circle, people.anna, "sid-anna", clock.now())
    for total, exercise in ((10, 0), (121, 10), (45, 31), (30, 20)):
        with pytest.raises(InvalidInput):
            start(circle, people.anna, clock.now(), total, exercise)
        db.session.rollback()
    assert agenda.get(service.KIND, service.find(circle, 1).id) is None
    start(circle, people.anna, clock.now())
    with pytest.raises(Conflict):
        start(circle, people.anna, clock.now())


def test_nobody_but_active_members_gets_in(app, circle, people, clock, quick_user):
    join(circle, people.anna, "sid-anna", clock.now())
    circles_service.leave(circle.id, actor(people.dora), now=clock.now())
    orga_circle = circles_service.create_circle(
        settings_from(clock.now(), join=False, invitees=(people.anna.id, people.ben.id)),
        creator=people.orga,
        now=clock.now(),
    )
    db.session.commit()
    for user, circle_id in (
        (people.outsider, circle.id),
        (people.admin, circle.id),
        (people.dora, circle.id),  # a former member
        (people.orga, orga_circle.id),  # the organizer who did not join
    ):
        with pytest.raises(NotFound):
            service.enter(circle_id, actor(user), clock.now())
        db.session.rollback()
    meeting = service.find(circle, 1)
    assert not service.may_facilitate(meeting.id, actor(people.admin))
