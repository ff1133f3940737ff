"""The world of the feed tests (tests/ical/conftest.py offers its fixtures): Uta organizes a
round, started a circle, is registered for an impulse, advises in two coaching sessions (one in
a confidential group) and has a personal feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.ical import service
from peerlab.lean_coffee.service import rounds
from tests.circles.conftest import settings_from
from tests.impulses.conftest import make_series


@pytest.fixture
def world(app, now, quick_user):
    """Uta organizes a round with Anna, started a circle with Anna, is confirmed for an impulse."""
    from peerlab.circles.service import circles
    from peerlab.impulses.service import registrations

    uta, anna, orga = quick_user(name="Uta"), quick_user(name="Anna"), quick_user("organizer")
    uta.role = "organizer"
    rnd = rounds.create_round(
        rounds.RoundSettings(title="Haushalt", starts_at=now + timedelta(days=2)),
        creator=uta,
        invitees=[anna],
        now=now,
    )
    circle = circles.create_circle(settings_from(now, invitees=(anna.id,)), creator=uta, now=now)
    series = make_series(now, orga, capacity=5, dates=2)
    registrations.register(series.impulses[0], uta, now=now)
    session = coaching_session(uta, quick_user, now, group_id=None)
    group = group_of(uta, quick_user, now)
    in_group = coaching_session(uta, quick_user, now, group_id=group.id)
    token = service.regenerate_feed_token(uta, now)
    db.session.commit()
    return {
        "uta": uta.id,
        "round": rnd.id,
        "circle": circle.id,
        "series": series.id,
        "session": session.id,
        "group": group.id,
        "group_session": in_group.id,
        "token": token,
    }


def group_of(uta, quick_user, now):
    """A confidential group Uta started, with four members under their real names."""
    from peerlab.groups.service import groups as group_service
    from tests.groups.conftest import REAL, join_by_link, settings

    group = group_service.create_group(
        settings(name="Vertrauensrunde"), creator=uta, choice=REAL, now=now
    )
    owner = group_service.members(group)[0][0]
    for n in range(4):
        join_by_link(group, owner, quick_user(name=f"Mitglied {n}"), REAL, now)
    return group


def coaching_session(uta, quick_user, now, *, group_id):
    """A peer-coaching session where Uta advises (in the group: among its members)."""
    from peerlab.coaching.service import setup
    from peerlab.groups.models import SPACE_KIND as GROUP_KIND

    if group_id is None:
        people = [quick_user(name=f"Beratung {n}").id for n in range(4)]
    else:
        people = list(
            db.session.scalars(
                select(Membership.user_id).where(
                    Membership.space_kind == GROUP_KIND,
                    Membership.space_id == group_id,
                    Membership.user_id != uta.id,
                )
            )
        )
    return setup.create_session(
        setup.SessionSetup(
            title="Fall",
            starts_at=now + timedelta(days=3),
            case_giver=people[0],
            moderator=people[1],
            advisers=(uta.id, people[2], people[3]),
            group_id=group_id,
        ),
        creator=uta,
        now=now,
    )


def url(world) -> str:
    return f"/kalender/feed/{world['token']}.ics"


def row(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


@pytest.fixture
def quick_user(app, now):
    from tests.impulses.conftest import quick_user as make

    return lambda role="member", name="Person": make(now, role, name)
