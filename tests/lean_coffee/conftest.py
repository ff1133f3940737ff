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
    return db.session.scalar(
        select(Participant).where(Participant.round_id == rnd.id, Participant.user_id == user.id)
    )


_counter = {"n": 0}


def quick_user(now, role="member", name="Person"):
    """A user without password (fast: no hashing) for service tests."""
    from peerlab.accounts import service

    _counter["n"] += 1
    return service.create_user(
        email=f"lc{_counter['n']}@kommune.example", name=name, role=role, now=now
    )


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
        data = {
            "title": "Lean Coffee Integration",
            "starts_at": now + timedelta(hours=1),
            "access": "link",
            **settings,
        }
        rnd = rounds.create_round(
            rounds.RoundSettings(**data), creator=organizer, invitees=[anna, ben], now=now
        )
        db.session.commit()
        return Cast(
            rnd,
            participant_of(rnd, organizer),
            participant_of(rnd, anna),
            participant_of(rnd, ben),
            {"orga": organizer, "anna": anna, "ben": ben},
        )

    return factory


@pytest.fixture
def sockets(app, make_round, login):
    """A signed-in round: Socket.IO test clients for facilitator, Anna and Ben."""
    from tests.support.sockets import live_client

    cast = make_round(signed_in=True)
    clients = {}
    for key in ("orga", "anna", "ben"):
        http = app.test_client()
        login(http, cast.users[key])
        clients[key] = live_client(app, http)
        clients[key].http = http
    yield cast, clients
    for sock in clients.values():
        if sock.is_connected():
            sock.disconnect()


def guest_socket(app, rnd, name="Gast Gerda"):
    """Join `rnd` by its link as a guest through the real page; returns a socket client."""
    import re

    from peerlab.lean_coffee import access
    from tests.support.sockets import live_client

    http = app.test_client()
    url = f"/runden/{rnd.id}/beitreten/{access.link_token(rnd)}"
    page = http.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    resp = http.post(url, data={"display_name": name, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    sock = live_client(app, http)
    sock.http = http
    return sock


def without_guest_list(value):
    """A copy without the facilitators' `me.guests` lists (presence's guest count stays)."""
    if isinstance(value, dict):
        return {
            k: without_guest_list(v)
            for k, v in value.items()
            if not (k == "guests" and isinstance(v, list))
        }
    if isinstance(value, list | tuple):
        return [without_guest_list(v) for v in value]
    return value
