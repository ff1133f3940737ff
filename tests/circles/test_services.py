"""Starting a circle, invitations, check-ins and the private workspace (services, clock)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from peerlab.circles import access, schedule
from peerlab.circles.models import CheckIn, Circle, Contribution, Goal, Relationship
from peerlab.circles.service import checkins, workspace
from peerlab.circles.service import circles as service
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from tests.circles.conftest import actor, settings_from


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Circle)),
        db.session.scalar(select(func.count()).select_from(Membership)),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "   "},
        {"name": "x" * 121},
        {"start_date": "yesterday"},
        {"zone": "Mars/Olympus"},
        {"video_url": "javascript:alert(1)"},
        {"language": "fr"},
        {"weekday": 7},
        {"invitees": ()},  # only the creator: fewer than 2
        {"invitees": "nine"},  # more than 8
        {"invitees": (999_999,)},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(app, people, quick_user, clock, changes):
    now = clock.now()
    if changes.get("start_date") == "yesterday":
        changes["start_date"] = now.astimezone(
            schedule.ZoneInfo("Europe/Berlin")
        ).date() - timedelta(days=1)
    if changes.get("invitees") == "nine":
        changes["invitees"] = tuple(quick_user().id for _ in range(8))
    changes.setdefault("invitees", (people.ben.id,))
    before = _counts()
    with pytest.raises(InvalidInput):
        service.create_circle(settings_from(now, **changes), creator=people.anna, now=now)
    db.session.rollback()
    assert _counts() == before


def test_today_at_a_time_already_past_is_refused(app, people, clock):
    now = clock.now()
    local = now.astimezone(schedule.ZoneInfo("Europe/Berlin"))
    past = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    if (local - timedelta(hours=1)).date() != local.date():
        pytest.skip("an hour ago was yesterday in Berlin")
    with pytest.raises(InvalidInput):
        service.create_circle(
            settings_from(
                now,
                start_date=local.date(),
                weekday=local.weekday(),
                local_time=past,
                invitees=(people.ben.id,),
            ),
            creator=people.anna,
            now=now,
        )


def test_a_member_starts_a_circle_for_themselves_as_facilitator(running, people):
    rows = {u.id: m for m, u in service.members(running)}
    assert rows[people.anna.id].role == "facilitator" and rows[people.anna.id].status == "active"
    assert rows[people.ben.id].status == "active"
    assert rows[people.carl.id].status == "invited"


def test_only_organizers_create_a_circle_without_joining(app, people, clock):
    now = clock.now()
    with pytest.raises(Forbidden):
        service.create_circle(
            settings_from(now, join=False, invitees=(people.ben.id, people.carl.id)),
            creator=people.anna,
            now=now,
        )
    circle = service.create_circle(
        settings_from(now, join=False, invitees=(people.ben.id, people.carl.id)),
        creator=people.orga,
        now=now,
    )
    orga = actor(people.orga)
    assert access.may_see_overview(circle, orga)
    assert not access.may_see_content(circle, orga)
    with pytest.raises(NotFound):
        checkins.for_meeting(circle, 1, orga)


def test_invitation_accept_and_decline(running, people, clock):
    now = clock.now()
    carl = actor(people.carl)
    assert not access.may_see_content(running, carl)
    service.answer_invitation(running.id, carl, accept=False, now=now)
    assert access.membership(running, carl).status == "left"
    with pytest.raises(NotFound):  # answered: no invitation any more
        service.answer_invitation(running.id, carl, accept=True, now=now)
    with pytest.raises(NotFound):
        service.answer_invitation(running.id, actor(people.outsider), accept=True, now=now)


def test_checkin_is_for_members_and_editable_until_the_meeting_starts(running, people, clock):
    now = clock.now()
    anna, ben = actor(people.anna), actor(people.ben)
    text = checkins.CheckInText("Drei Ämter besucht", "Protokoll teilen", "Kontakt ins Land")
    checkins.save(running.id, anna, 1, text, now=now)
    checkins.save(running.id, anna, 1, checkins.CheckInText("Geändert", "x"), now=now)
    assert [c.happened for c, _u in checkins.for_meeting(running, 1, ben)] == ["Geändert"]
    for outsider in (people.carl, people.outsider, people.orga, people.admin):
        with pytest.raises(NotFound):
            checkins.for_meeting(running, 1, actor(outsider))
        with pytest.raises(NotFound):
            checkins.save(running.id, actor(outsider), 1, text, now=now)
    first = schedule.of(running)[0]
    clock.set(first.starts_at)
    with pytest.raises(Conflict):
        checkins.save(running.id, anna, 1, text, now=clock.now())
    with pytest.raises(InvalidInput):
        checkins.save(running.id, anna, 2, checkins.CheckInText(" ", " "), now=clock.now())
    with pytest.raises(InvalidInput):
        checkins.save(running.id, anna, 13, text, now=clock.now())
    with pytest.raises(InvalidInput):
        checkins.save(running.id, anna, 2, checkins.CheckInText("x" * 2001, ""), now=clock.now())
    assert checkins.for_meeting(running, 1, ben)[0][0].happened == "Geändert"


def test_former_member_sees_nothing(running, people, clock):
    ben = actor(people.ben)
    service.leave(running.id, ben, now=clock.now())
    assert not access.may_see_content(running, ben)
    assert not access.may_see_overview(running, ben)


def test_workspace_is_private_unless_one_entry_is_shared(running, people, clock):
    now = clock.now()
    anna, ben = actor(people.anna), actor(people.ben)
    _goal, long = workspace.save_goal(running.id, anna, "Drei Kommunen kennenlernen", now=now)
    assert not long
    _goal, long = workspace.save_goal(running.id, anna, " ".join(["Wort"] * 26), now=now)
    assert long  # a hint, not a block: it is stored
    rel = workspace.add_relationship(
        running.id, anna, name="Amt für Digitales", closeness=3, note="", now=now
    )
    workspace.add_contribution(
        running.id, anna, what="Vorlage geschickt", to_whom="Kiel", on_day=now.date(), now=now
    )
    own = workspace.load(running.id, ben)  # Ben's own workspace: none of Anna's entries
    assert own.goal is None and own.relationships == [] and own.contributions == []
    for other in (people.carl, people.orga, people.admin, people.outsider):
        with pytest.raises(NotFound):
            workspace.load(running.id, actor(other))
    for other in (people.ben, people.carl, people.orga, people.admin, people.outsider):
        with pytest.raises(NotFound):
            workspace.set_shared(running.id, actor(other), "relationship", rel.id, True)
    assert workspace.shared_entries(running, ben) == []
    workspace.set_shared(running.id, anna, "relationship", rel.id, True)
    shared = workspace.shared_entries(running, ben)
    assert [(u.id, kind, e.name) for u, kind, e in shared] == [
        (people.anna.id, "relationship", "Amt für Digitales")
    ]
    with pytest.raises(InvalidInput):
        workspace.add_relationship(running.id, anna, name="X", closeness=6, note="", now=now)
    with pytest.raises(InvalidInput):
        workspace.save_goal(running.id, anna, "   ", now=now)


def test_dashboard_shows_next_meeting_open_checkin_and_invitation(app, running, people, clock):
    from peerlab.circles import integration

    now = clock.now()
    with app.test_request_context():
        part = integration.dashboard(people.anna, now)
        assert [d.subject_id for d in part.dates] == [running.id]
        assert len(part.todos) == 1 and "Check-in" in part.todos[0].text
        checkins.save(running.id, actor(people.anna), 1, checkins.CheckInText("a", "b"), now=now)
        assert integration.dashboard(people.anna, now).todos == []
        carl = integration.dashboard(people.carl, now)
        assert carl.dates == [] and len(carl.invitations) == 1
        assert integration.dashboard(people.orga, now).dates == []


def test_export_and_erase(running, people, clock):
    from peerlab.circles import integration

    now = clock.now()
    anna = actor(people.anna)
    checkins.save(running.id, anna, 1, checkins.CheckInText("passiert", "weiter"), now=now)
    workspace.save_goal(running.id, anna, "Ziel", now=now)
    workspace.add_relationship(running.id, anna, name="Kreis", closeness=2, note="n", now=now)
    workspace.add_contribution(
        running.id, anna, what="Tipp", to_whom="", on_day=now.date(), now=now
    )
    data = integration.export_user(people.anna)
    assert data[0]["goal"]["text"] == "Ziel"
    assert data[0]["checkins"][0]["what_happened"] == "passiert"
    assert data[0]["relationships"][0]["closeness"] == 2
    integration.erase_user(people.anna, True, now)
    for model in (CheckIn, Goal, Relationship, Contribution):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert access.membership(running, anna) is None
    assert integration.export_user(people.ben)[0]["checkins"] == []


def test_local_time_is_stored_without_seconds(app, people, clock):
    now = clock.now()
    circle = service.create_circle(
        settings_from(now, local_time=time(9, 30, 45), invitees=(people.ben.id,)),
        creator=people.anna,
        now=now,
    )
    assert circle.local_time == time(9, 30)
