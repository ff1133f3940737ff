"""Fixtures for Lean Coffee: a round with a facilitator, two members and (optionally) a guest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import rounds


@dataclass
class Cast:
    round: Round
    fac: Participant
    anna: Participant
    ben: Participant
    users: dict


def participant_of(rnd: Round, user) -> Participant:
    return db.session.scalar(select(Participant).where(Participant.round_id == rnd.id,
                                                       Participant.user_id == user.id))


_counter = {"n": 0}


def quick_user(now, role="member", name="Person"):
    """A user without password (fast: no hashing) for service tests."""
    from peerlab.accounts import service

    _counter["n"] += 1
    return service.create_user(email=f"lc{_counter['n']}@kommune.example", name=name,
                               role=role, now=now)


@pytest.fixture
def make_round(app, make_user, now):
    def factory(*, signed_in: bool = False, **settings) -> Cast:
        if signed_in:
            organizer = make_user("organizer", name="Olga Orga")
            anna = make_user(name="Anna Amsel")
            ben = make_user(name="Ben Berg")
        else:
            organizer = quick_user(now, "organizer", "Olga Orga")
            anna = quick_user(now, name="Anna Amsel")
            ben = quick_user(now, name="Ben Berg")
        data = {"title": "Lean Coffee Integration", "starts_at": now + timedelta(hours=1),
                "access": "link", **settings}
        rnd = rounds.create_round(rounds.RoundSettings(**data), creator=organizer,
                                  invitees=[anna, ben], now=now)
        db.session.commit()
        return Cast(rnd, participant_of(rnd, organizer), participant_of(rnd, anna),
                    participant_of(rnd, ben), {"orga": organizer, "anna": anna, "ben": ben})

    return factory
