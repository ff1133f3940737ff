"""There is always an active admin: no role change, removal or self-deletion takes the last one,
not even two admins acting against each other at the same moment."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from peerlab.accounts import admin, erasure, service
from peerlab.accounts.models import User
from peerlab.core.errors import Conflict, DomainError
from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.pg_app import postgres_app


def _demote(actor_id: int, target_id: int, now) -> None:
    admin.change_role(
        db.session.get(User, actor_id), db.session.get(User, target_id), "member", now=now
    )


def _remove(actor_id: int, target_id: int, now) -> None:
    admin.remove(
        db.session.get(User, actor_id), db.session.get(User, target_id), keep_content=True, now=now
    )


ACTIONS = {"demote": _demote, "remove": _remove}


@pytest.fixture(params=["sqlite", "postgres"])
def race_app(request, tmp_path):
    if request.param == "sqlite":
        yield make_app(tmp_path)
        return
    with postgres_app(tmp_path, prefix="peerlab_admins") as app:
        yield app


def _active_admins() -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == "admin", User.status == "active")
    )


@pytest.mark.parametrize(("first", "second"), [("demote", "demote"), ("demote", "remove")])
def test_two_admins_acting_against_each_other_at_once_leave_one(race_app, first, second):
    with race_app.app_context():
        now = race_app.extensions["peerlab.clock"].now()
        ada = service.create_user(email="ada@kommune.example", name="Ada", role="admin", now=now)
        bo = service.create_user(email="bo@kommune.example", name="Bo", role="admin", now=now)
        db.session.commit()
        ada_id, bo_id = ada.id, bo.id

    a_changed, b_finished = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def ada_acts():  # Ada's change is made and not yet committed when Bo's arrives
        with race_app.app_context():
            try:
                ACTIONS[first](ada_id, bo_id, now)
                db.session.flush()
                a_changed.set()
                b_finished.wait(1.0)  # without a lock Bo finishes in this second
                db.session.commit()
                outcome["ada"] = "done"
            except DomainError as err:
                db.session.rollback()
                outcome["ada"] = err.code
            finally:
                a_changed.set()
                db.session.remove()

    def bo_acts():
        a_changed.wait(10)
        with race_app.app_context():
            try:
                ACTIONS[second](bo_id, ada_id, now)
                db.session.commit()
                outcome["bo"] = "done"
            except DomainError as err:
                db.session.rollback()
                outcome["bo"] = err.code
            finally:
                b_finished.set()
                db.session.remove()

    threads = [threading.Thread(target=ada_acts), threading.Thread(target=bo_acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcome["ada"] == "done"
    assert outcome["bo"] in ("last_admin", "forbidden")  # Bo is no admin any more, or the last
    with race_app.app_context():
        assert _active_admins() == 1
        db.session.remove()


def test_the_last_admin_cannot_delete_their_account_through_the_erasure(app, make_user, now):
    ada = make_user("admin")
    with pytest.raises(Conflict):
        erasure.delete_account(ada, keep_content=True, now=now)
    db.session.rollback()
    assert db.session.get(User, ada.id) is not None
