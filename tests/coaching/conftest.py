"""Fixtures for peer coaching: people with roles and a session set up from the injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from peerlab.accounts.actors import Actor
from peerlab.coaching.models import CoachingSession
from peerlab.coaching.service import setup
from peerlab.core import spaces
from peerlab.extensions import db


def actor(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


_n = {"n": 0}


def quick(app, role="member", name="Person"):
    from peerlab.accounts import service as accounts

    _n["n"] += 1
    return accounts.create_user(
        email=f"coach{_n['n']}@kommune.example",
        name=name,
        role=role,
        now=app.extensions["peerlab.clock"].now(),
    )


@dataclass
class Cast:
    orga: object
    giver: object
    moderator: object
    advisers: list
    secretary: object
    outsider: object

    def everyone(self):
        return [self.giver, self.moderator, *self.advisers, self.secretary]


@pytest.fixture
def cast(app, request) -> Cast:
    """Service tests get accounts without password (fast); tests that sign in over HTTP ask
    for `make_user` too and get accounts with one."""
    if "login" in request.fixturenames:
        maker = request.getfixturevalue("make_user")
    else:

        def maker(role="member", name="Person"):
            return quick(app, role, name)

    return Cast(
        orga=maker("organizer", name="Olga Orga"),
        giver=maker(name="Gina Fallgeberin"),
        moderator=maker(name="Moritz Moderation"),
        advisers=[maker(name=f"Berater {i}") for i in range(1, 6)],
        secretary=maker(name="Paula Protokoll"),
        outsider=maker(name="Otto Außen"),
    )


@pytest.fixture
def make_session(app, cast, clock):
    def factory(advisers: int = 3, **changes) -> CoachingSession:
        now = clock.now()
        data = {
            "title": "Drohbriefe nach der Ratssitzung",
            "starts_at": now + timedelta(hours=1),
            "case_giver": cast.giver.id,
            "moderator": cast.moderator.id,
            "advisers": tuple(u.id for u in cast.advisers[:advisers]),
            "secretary": cast.secretary.id,
        }
        data.update(changes)
        session = setup.create_session(setup.SessionSetup(**data), creator=cast.orga, now=now)
        db.session.commit()
        return session

    return factory


def row(session, user):
    return spaces.membership_of("coaching.session", session.id, actor(user))
