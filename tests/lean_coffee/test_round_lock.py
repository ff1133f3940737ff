"""Editing and cancelling a round take the round's lock, like every socket event does.

On PostgreSQL (read committed) a request that loaded the round before a socket event committed
would otherwise write its own version number over the event's: two states with one version,
and clients drop the later one. (On SQLite the request's transaction holds the write lock from
its first read, so the two cannot interleave at all.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from peerlab.extensions import db
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import rounds
from tests.lean_coffee.conftest import quick_user
from tests.lean_coffee.test_postgres import pg_app  # noqa: F401 - fixture


def _settings(now) -> rounds.RoundSettings:
    return rounds.RoundSettings(title="Kickoff", starts_at=now + timedelta(days=2))


@pytest.mark.postgres
@pytest.mark.parametrize("change", ["edit", "cancel"])
def test_a_change_by_the_page_and_a_socket_event_get_two_versions(pg_app, change):  # noqa: F811
    with pg_app.app_context():
        now = pg_app.extensions["peerlab.clock"].now()
        orga = quick_user(now, "organizer", "Olga")
        rnd = rounds.create_round(_settings(now), creator=orga, invitees=[], now=now)
        db.session.commit()
        round_id = rnd.id

    with pg_app.app_context():  # the edit or cancel request has loaded the round ...
        rnd = db.session.get(Round, round_id)
        loaded = rnd.version
        with pg_app.app_context():  # ... when a socket event changes it (own connection)
            socket_version = rounds.lock(round_id).version
            db.session.commit()
        if change == "edit":
            rounds.update_round(rnd, replace(_settings(now), title="Neuer Titel"), now=now)
        else:
            rounds.cancel_round(rnd, now=now)
        db.session.commit()
        page_version = rnd.version

    assert socket_version == loaded + 1
    assert page_version == loaded + 2  # its own number, after the event's
