"""One invitation link, two simultaneous joins: exactly one person joins (SQLite and
PostgreSQL, threads with their own connections). And a full group admits nobody more, also
when the last place is taken by two at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from peerlab.core.errors import DomainError
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, Invitation
from tests.groups.conftest import REAL, quick, settings
from tests.support.pg_app import postgres_app


def _race(app, *, size_limit: int = 12, shared_link: bool = True) -> tuple[int, list]:
    from peerlab.accounts.models import User
    from peerlab.groups.service import groups as service
    from peerlab.groups.service import invites

    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        owner_user = quick(app, name="Anna Amsel")
        group = service.create_group(
            settings(size_limit=size_limit), creator=owner_user, choice=REAL, now=now
        )
        owner = db.session.scalars(select(Membership)).one()
        for n in range(size_limit - 2):  # leaves exactly one place
            filler = quick(app, name=f"Füller {n}")
            secret = invites.create_link(group, owner, 7, now=now)
            invites.join(secret, filler, REAL, now=now)
        people = [quick(app, name=f"Person {n}").id for n in range(2)]
        one = invites.create_link(group, owner, 7, now=now)
        links = [one, one] if shared_link else [one, invites.create_link(group, owner, 7, now=now)]
        group_id = group.id
        db.session.commit()

    barrier = threading.Barrier(2)
    outcomes: list = []

    def join(user_id: int, secret: str) -> None:
        with app.app_context():
            try:
                barrier.wait()
                now = app.extensions["peerlab.clock"].now()
                invites.join(secret, db.session.get(User, user_id), REAL, now=now)
                db.session.commit()
                outcomes.append("joined")
            except DomainError as err:
                db.session.rollback()
                outcomes.append(err.code)
            except BaseException as err:  # reported below
                outcomes.append(repr(err))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=join, args=pair) for pair in zip(people, links, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with app.app_context():
        members = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id == group_id,
                Membership.status == "active",
            )
        )
        used = db.session.scalar(
            select(func.count(Invitation.id)).where(Invitation.used_at.is_not(None))
        )
        db.session.remove()
    return members, sorted(outcomes), used


def test_one_link_two_joins_at_once_on_sqlite(app):
    members, outcomes, _used = _race(app)
    assert outcomes == ["joined", "not_found"]
    assert members == 12


def test_last_place_taken_by_two_links_at_once_on_sqlite(app):
    members, outcomes, _used = _race(app, size_limit=3, shared_link=False)
    assert outcomes == ["group_full", "joined"]
    assert members == 3


@pytest.mark.postgres
def test_one_link_two_joins_at_once_on_postgres(tmp_path):
    with postgres_app(tmp_path, prefix="peerlab_grp") as app:
        members, outcomes, _used = _race(app)
        assert outcomes == ["joined", "not_found"]
        assert members == 12
