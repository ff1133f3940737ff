"""The list of peer-coaching sessions and a session's page cost the same number of SQL
statements with few and with many sessions, advisers and observers (for a participant and
for the organizer who set it up)."""

from __future__ import annotations

from datetime import timedelta

from peerlab.accounts.models import User
from peerlab.coaching.service import setup
from peerlab.extensions import db
from tests.coaching.conftest import quick
from tests.support.queries import page_costs


def test_session_pages_cost_the_same_with_few_and_many_people(app, now, make_user, login):
    orga, uta = make_user("organizer", name="Olga Orga"), make_user(name="Uta Umfang")
    orga_id, uta_id = orga.id, uta.id
    as_orga, as_uta = app.test_client(), app.test_client()
    login(as_orga, orga)
    login(as_uta, uta)

    def new_session(advisers: int, observers: int, hours: int) -> int:
        people = [quick(app, name=f"Person {hours}-{n}") for n in range(2 + advisers + observers)]
        made = setup.create_session(
            setup.SessionSetup(
                title=f"Fall {hours}",
                starts_at=now + timedelta(hours=hours),
                case_giver=people[0].id,
                moderator=people[1].id,
                advisers=(uta_id, *(p.id for p in people[2 : 2 + advisers - 1])),
                observers=tuple(p.id for p in people[2 + advisers - 1 :]),
            ),
            creator=db.session.get(User, orga_id),
            now=now,
        )
        db.session.commit()
        return made.id

    small = new_session(3, 0, 2)

    def costs(session_id: int) -> list[int]:
        return [
            *page_costs(as_uta, ["/beratung/", f"/beratung/{session_id}"]).values(),
            *page_costs(as_orga, ["/beratung/", f"/beratung/{session_id}"]).values(),
        ]

    few = costs(small)
    large = new_session(8, 4, 3)
    for hours in range(4, 8):
        new_session(3, 1, hours)
    many = costs(large)
    assert few == many, (few, many)
    page = as_uta.get(f"/beratung/{large}").data.decode()
    assert "Person 3-9" in page  # the last adviser
