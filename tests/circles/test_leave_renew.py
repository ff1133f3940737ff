"""Leaving (keep or delete check-ins), removal, replacement, the closing reflection, renewal
and the archive; METHOD:CANCEL goes to the person who leaves, and to no one else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import select

from peerlab.circles import access, schedule
from peerlab.circles.models import CheckIn, Circle, Goal
from peerlab.circles.service import checkins, closing, lifecycle, workspace
from peerlab.circles.service import circles as service
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail
from tests.circles.conftest import actor, settings_from
from tests.notify import mime


@pytest.fixture
def trio(app, people, clock):
    """Anna (moderation), Ben and Carl, all active; Tuesdays 18:00 Berlin from 17 Feb 2026."""
    clock.set(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    now = clock.now()
    circle = service.create_circle(
        settings_from(now, start_date=date(2026, 2, 17), invitees=(people.ben.id, people.carl.id)),
        creator=people.anna,
        now=now,
    )
    for person in (people.ben, people.carl):
        service.answer_invitation(circle.id, actor(person), accept=True, now=now)
    checkins.save(
        circle.id, actor(people.ben), 1, checkins.CheckInText("Ben war da", "Weiter"), now=now
    )
    workspace.save_goal(circle.id, actor(people.ben), "Akten digital", now=now)
    db.session.commit()
    return db.session.get(Circle, circle.id)


def _methods(user) -> list[str]:
    out = []
    for raw in db.session.scalars(
        select(OutboxMail.raw).where(OutboxMail.to_addr == user.email).order_by(OutboxMail.id)
    ):
        ics = mime.calendar_bytes(message_from_bytes(raw, policy=default))
        out.append("CANCEL" if b"METHOD:CANCEL" in ics else "REQUEST")
    return out


def test_leaving_and_keeping_check_ins_sends_cancel_to_the_leaver_only(trio, people, clock):
    anna_before = _methods(people.anna)
    lifecycle.leave(trio.id, actor(people.ben), keep_checkins=True, now=clock.now())
    db.session.commit()
    assert _methods(people.ben) == ["REQUEST", "CANCEL"]
    assert _methods(people.anna) == anna_before
    kept = checkins.for_meeting(trio, 1, actor(people.anna))
    assert [u.id for _c, u in kept] == [people.ben.id]
    assert kept[0][0].membership_id in lifecycle.former_ids(trio)
    assert db.session.scalars(select(Goal)).all() == []  # the private workspace went
    with pytest.raises(NotFound):  # a former member sees nothing any more
        access.require_member(trio.id, actor(people.ben))
    assert not access.may_see_overview(trio, actor(people.ben))


def test_leaving_and_deleting_check_ins(trio, people, clock):
    lifecycle.leave(trio.id, actor(people.ben), keep_checkins=False, now=clock.now())
    db.session.commit()
    assert db.session.scalars(select(CheckIn)).all() == []


def test_the_last_facilitator_leaving_hands_the_role_on(trio, people, clock):
    lifecycle.leave(trio.id, actor(people.anna), keep_checkins=True, now=clock.now())
    db.session.commit()
    roles = {u.id: row.role for row, u in service.members(trio)}
    assert list(roles.values()).count("facilitator") == 1 and people.anna.id not in roles


def test_removal_and_replacement(trio, people, clock):
    now = clock.now()
    with pytest.raises(Forbidden):
        lifecycle.remove(trio.id, actor(people.ben), 1, now=now)
    carl_row = access.membership(trio, actor(people.carl))
    with pytest.raises(NotFound):
        lifecycle.remove(trio.id, actor(people.outsider), carl_row.id, now=now)
    lifecycle.remove(trio.id, actor(people.anna), carl_row.id, now=now)
    db.session.commit()
    assert _methods(people.carl) == ["REQUEST", "CANCEL"]
    with pytest.raises(NotFound):
        access.require_member(trio.id, actor(people.carl))
    # a newcomer with an account takes the place and gets the series on accepting
    lifecycle.invite_replacement(trio.id, actor(people.anna), people.outsider.id, now=now)
    db.session.commit()
    assert _methods(people.outsider) == []
    service.answer_invitation(trio.id, actor(people.outsider), accept=True, now=now)
    db.session.commit()
    assert _methods(people.outsider) == ["REQUEST"]
    with pytest.raises(InvalidInput):
        lifecycle.invite_replacement(trio.id, actor(people.anna), people.ben.id, now=now)
    with pytest.raises(InvalidInput):
        lifecycle.invite_replacement(trio.id, actor(people.anna), 99999, now=now)
    with pytest.raises(Forbidden):
        lifecycle.invite_replacement(trio.id, actor(people.ben), people.orga.id, now=now)


def test_no_more_than_eight(trio, people, quick_user, clock):
    now = clock.now()
    for n in range(5):
        lifecycle.invite_replacement(trio.id, actor(people.anna), quick_user().id, now=now)
    with pytest.raises(InvalidInput):
        lifecycle.invite_replacement(trio.id, actor(people.anna), people.orga.id, now=now)


def test_reflection_renewal_and_archive(trio, people, clock):
    last = schedule.of(trio)[-1]
    with pytest.raises(Conflict):
        closing.save_reflection(trio.id, actor(people.ben), "Schön", now=clock.now())
    with pytest.raises(Conflict):
        closing.renew(trio.id, actor(people.ben), now=clock.now())
    clock.set(last.ends_at + timedelta(days=2))
    now = clock.now()
    assert closing.is_archive(trio, now)
    with pytest.raises(InvalidInput):
        closing.save_reflection(trio.id, actor(people.ben), "   ", now=now)
    closing.save_reflection(trio.id, actor(people.ben), "Ich habe viel gelernt.", now=now)
    db.session.commit()
    assert [u.id for _r, u in closing.reflections(trio, actor(people.carl))] == [people.ben.id]
    for person in (people.outsider, people.orga, people.admin):
        with pytest.raises(NotFound):
            closing.reflections(trio, actor(person))
    new = closing.renew(trio.id, actor(people.ben), now=now)
    db.session.commit()
    assert closing.renew(trio.id, actor(people.carl), now=now).id == new.id  # only once
    members = {u.id: (row.role, row.status) for row, u in service.members(new)}
    assert members == {
        people.ben.id: ("facilitator", "active"),
        people.anna.id: ("member", "invited"),
        people.carl.id: ("member", "invited"),
    }
    first = schedule.of(new)[0]
    assert first.starts_at > now and first.starts_at.weekday() == 1
    assert len(schedule.of(new)) == 12
    # the old circle stays the members' archive, read only
    assert access.may_see_content(trio, actor(people.anna))
    with pytest.raises(Conflict):
        checkins.save(trio.id, actor(people.anna), 12, checkins.CheckInText("x", "y"), now=now)


def test_export_and_erase_take_the_new_rows_along(trio, people, clock):
    from peerlab.accounts.models import User
    from peerlab.circles import integration
    from peerlab.circles.models_schedule import Absence, Reflection, ReminderOptOut
    from peerlab.circles.service import quorum, reminders

    now = clock.now()
    quorum.mark(trio.id, actor(people.ben), 3, cannot=True, now=now)
    reminders.set_reminders(trio.id, actor(people.ben), False, now=now)
    clock.set(schedule.of(trio)[-1].ends_at + timedelta(hours=1))
    closing.save_reflection(trio.id, actor(people.ben), "Gelernt", now=clock.now())
    db.session.commit()
    [data] = integration.export_user(db.session.get(User, people.ben.id))
    assert data["reflection"] == "Gelernt" and data["reminders_off"] is True
    assert len(data["cannot_come"]) == 1
    integration.erase_user(db.session.get(User, people.ben.id), False, clock.now())
    db.session.commit()
    for model in (Absence, Reflection, ReminderOptOut):
        assert db.session.scalars(select(model)).all() == []


def test_new_addresses_only_through_an_organizer(app, people, clock):
    from peerlab.accounts.models import User

    now = clock.now()
    circle = service.create_circle(
        settings_from(now, invitees=(people.anna.id,)), creator=people.orga, now=now
    )
    service.answer_invitation(circle.id, actor(people.anna), accept=True, now=now)
    db.session.commit()
    with pytest.raises(InvalidInput):
        lifecycle.invite_address(circle.id, actor(people.orga), "kein-at-zeichen", now=now)
    db.session.rollback()
    lifecycle.invite_address(circle.id, actor(people.orga), "Neu@Kommune.example", now=now)
    db.session.commit()
    newcomer = db.session.scalar(select(User).where(User.email == "neu@kommune.example"))
    assert newcomer.status == "invited"
    rows = {u.id: row.status for row, u in service.members(circle)}
    assert rows[newcomer.id] == "invited"
    assert db.session.scalar(
        select(OutboxMail.id).where(OutboxMail.to_addr == "neu@kommune.example")
    )
    # an existing account by its address: invited like any account, no second mail
    lifecycle.invite_address(circle.id, actor(people.orga), people.ben.email, now=now)
    with pytest.raises(InvalidInput):
        lifecycle.invite_address(circle.id, actor(people.orga), people.ben.email, now=now)
    db.session.rollback()


def test_a_member_facilitator_cannot_bring_in_new_addresses(trio, people, clock):
    from peerlab.accounts.models import User

    with pytest.raises(Forbidden):
        lifecycle.invite_address(
            trio.id, actor(people.anna), "neu@kommune.example", now=clock.now()
        )
    with pytest.raises(Forbidden):
        lifecycle.invite_address(trio.id, actor(people.ben), "neu@kommune.example", now=clock.now())
    assert db.session.scalar(select(User).where(User.email == "neu@kommune.example")) is None
