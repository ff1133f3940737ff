"""Fixtures for circles: people and a circle started from the injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerlab.accounts.actors import Actor
from peerlab.circles.models import Circle
from peerlab.circles.service import circles as service
from peerlab.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")


def actor(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


@dataclass
class People:
    orga: object
    anna: object
    ben: object
    carl: object
    outsider: object
    admin: object


def _quick(app, role: str = "member", name: str = "Person"):
    """An account without password (no hashing: fast) for service tests."""
    from peerlab.accounts import service as accounts

    _quick.n += 1
    return accounts.create_user(
        email=f"circle{_quick.n}@kommune.example",
        name=name,
        role=role,
        now=app.extensions["peerlab.clock"].now(),
    )


_quick.n = 0


@pytest.fixture
def quick_user(app):
    return lambda role="member", name="Person": _quick(app, role, name)


@pytest.fixture
def people(quick_user) -> People:
    make_user = quick_user
    return People(
        orga=make_user("organizer", name="Olga Orga"),
        anna=make_user(name="Anna Amsel"),
        ben=make_user(name="Ben Berg"),
        carl=make_user(name="Carl Clausen"),
        outsider=make_user(name="Otto Außen"),
        admin=make_user("admin", name="Ada Admin"),
    )


def settings_from(now, **changes) -> service.CircleSettings:
    """A Tuesday 18:00 Berlin circle starting next week (derived from `now`)."""
    start = now.astimezone(BERLIN).date() + timedelta(days=7)
    data = {
        "name": "Digitale Verwaltung",
        "weekday": 1,
        "local_time": time(18, 0),
        "zone": "Europe/Berlin",
        "start_date": start,
        "video_url": "https://meet.example.org/circle",
        "language": "de",
        "invitees": (),
        "join": True,
    }
    data.update(changes)
    return service.CircleSettings(**data)


@pytest.fixture
def running(app, people, clock):
    """Anna started a circle with Ben and Carl; Ben accepted, Carl is still invited."""
    now = clock.now()
    circle = service.create_circle(
        settings_from(now, invitees=(people.ben.id, people.carl.id)), creator=people.anna, now=now
    )
    service.answer_invitation(circle.id, actor(people.ben), accept=True, now=now)
    db.session.commit()
    return db.session.get(Circle, circle.id)
