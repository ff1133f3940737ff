"""Fixtures for groups: people and a group of three made from the injected clock."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from peerlab.accounts.actors import Actor
from peerlab.extensions import db
from peerlab.groups.models import Group
from peerlab.groups.service import groups as service
from peerlab.groups.service import invites


def actor(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


REAL = service.JoinChoice(accept_rule=True, identity="real")


def alias(name: str) -> service.JoinChoice:
    return service.JoinChoice(accept_rule=True, identity="pseudonym", pseudonym=name)


@dataclass
class People:
    orga: object
    anna: object
    ben: object
    carl: object
    dora: object
    outsider: object
    admin: object


_counter = {"n": 0}


def quick(app, role: str = "member", name: str = "Person"):
    from peerlab.accounts import service as accounts

    _counter["n"] += 1
    return accounts.create_user(
        email=f"gruppe{_counter['n']}@kommune.example",
        name=name,
        role=role,
        now=app.extensions["peerlab.clock"].now(),
    )


@pytest.fixture
def people(app) -> People:
    made = People(
        orga=quick(app, "organizer", "Olga Orga"),
        anna=quick(app, name="Anna Amsel"),
        ben=quick(app, name="Ben Berg"),
        carl=quick(app, name="Carl Clausen"),
        dora=quick(app, name="Dora Dorn"),
        outsider=quick(app, name="Otto Außen"),
        admin=quick(app, "admin", "Ada Admin"),
    )
    db.session.commit()
    return made


def settings(**changes) -> service.GroupSettings:
    data = {"name": "Sicherheit im Amt", "purpose": "Austausch", "allow_anonymous": True}
    data.update(changes)
    return service.GroupSettings(**data)


def join_by_link(group, inviter_row, user, choice, now) -> None:
    secret = invites.create_link(group, inviter_row, 7, now=now)
    invites.join(secret, user, choice, now=now)


@pytest.fixture
def group(app, people, clock):
    """Anna (owner, real name) with Ben as "Stille Eiche" and Carl (real name)."""
    now = clock.now()
    made = service.create_group(settings(), creator=people.anna, choice=REAL, now=now)
    owner = service.members(made)[0][0]
    join_by_link(made, owner, people.ben, alias("Stille Eiche"), now)
    join_by_link(made, owner, people.carl, REAL, now)
    db.session.commit()
    return db.session.get(Group, made.id)
