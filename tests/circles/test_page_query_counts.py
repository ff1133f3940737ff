"""The circles list, a circle's page and its schedule cost the same number of SQL statements
with few and with many circles, members, check-ins and changed dates (skipped, appended,
moved)."""

from __future__ import annotations

from datetime import timedelta

from peerlab.accounts.models import User
from peerlab.circles import schedule
from peerlab.circles.models import Circle
from peerlab.circles.service import checkins, lifecycle, quorum, schedule_changes
from peerlab.circles.service import circles as service
from peerlab.extensions import db
from tests.circles.conftest import BERLIN, _quick, actor, settings_from
from tests.support.queries import same_cost_at_two_sizes


def test_circle_pages_cost_the_same_with_few_and_many_items(app, now, make_user, login):
    anna = make_user(name="Anna Amsel")
    anna_id = anna.id
    http = app.test_client()
    login(http, anna)
    made: list[int] = []

    def me():
        return actor(db.session.get(User, anna_id))

    def new_circle(members: int) -> int:
        others = [_quick(app, name=f"Person {len(made)}-{n}") for n in range(members - 1)]
        circle = service.create_circle(
            settings_from(
                now, name=f"Circle {len(made) + 1}", invitees=tuple(u.id for u in others)
            ),
            creator=db.session.get(User, anna_id),
            now=now,
        )
        for user in others:
            service.answer_invitation(circle.id, actor(user), accept=True, now=now)
        made.append(circle.id)
        return circle.id

    def check_in(circle_id: int, user: User) -> None:
        text = checkins.CheckInText(happened=f"Erledigt von {user.id}", next_step="Weiter")
        checkins.save(circle_id, actor(user), 1, text, now=now)

    first = new_circle(2)
    check_in(first, db.session.get(User, anna_id))
    db.session.commit()

    def paths() -> list[str]:
        return ["/circles/", f"/circles/{first}", f"/circles/{first}/termine"]

    def grow() -> None:
        for _ in range(4):
            new_circle(3)
        for n in range(5):
            user = _quick(app, name=f"Neu {n}")
            lifecycle.invite_replacement(first, me(), user.id, now=now)
            if n < 4:
                service.answer_invitation(first, actor(user), accept=True, now=now)
                check_in(first, user)
        quorum.mark(first, me(), 9, cannot=True, now=now)
        schedule_changes.skip(first, me(), 3, append=True, now=now)
        schedule_changes.skip(first, me(), 5, append=False, now=now)
        seventh = schedule.by_slot(db.session.get(Circle, first), 7).starts_at
        day = seventh.astimezone(BERLIN).date() + timedelta(days=1)
        schedule_changes.move(first, me(), 7, day, settings_from(now).local_time, now=now)

    same_cost_at_two_sizes(http, paths, grow)
    listed, page, _plan = (http.get(p).data.decode() for p in paths())
    assert "Circle 5" in listed and "Neu 3" in page
    assert len(service.members(db.session.get(Circle, first))) == 7
