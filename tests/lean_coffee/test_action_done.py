"""Owners tick their action items off on the dashboard; nobody else can."""

from __future__ import annotations

import pytest

from peerlab.core.errors import NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import ActionItem
from peerlab.lean_coffee.service import notes
from tests.conftest import csrf_from
from tests.lean_coffee.test_service_results import finished_round


@pytest.fixture
def owned(make_round, now):
    cast = make_round(signed_in=True)
    finished_round(cast, now)
    db.session.commit()
    item = db.session.query(ActionItem).one()
    assert item.owner_participant_id == cast.ben.id
    return cast, item


def test_only_the_owner_may_mark_done(owned, now):
    cast, item = owned
    for other in (cast.users["anna"], cast.users["orga"]):
        with pytest.raises(NotFound):
            notes.mark_action_done(item.id, other, done=True, now=now)
    notes.mark_action_done(item.id, cast.users["ben"], done=True, now=now)
    assert item.done_at == now
    notes.mark_action_done(item.id, cast.users["ben"], done=False, now=now)
    assert item.done_at is None


def test_done_item_leaves_the_dashboard(app, owned, login):
    cast, item = owned
    ben = app.test_client()
    login(ben, cast.users["ben"])
    page = ben.get("/").get_data(as_text=True)
    assert "Polizei einladen" in page
    resp = ben.post(
        f"/aufgaben/{item.id}/erledigt", data={"csrf_token": csrf_from(page), "erledigt": "1"}
    )
    assert resp.status_code == 302
    page = ben.get("/").get_data(as_text=True)
    assert "ist erledigt" in page
    assert f"/aufgaben/{item.id}/erledigt" not in page
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).done_at is not None


def test_someone_else_cannot_tick_it_off(app, owned, login):
    cast, item = owned
    anna = app.test_client()
    login(anna, cast.users["anna"])
    page = anna.get("/").get_data(as_text=True)
    resp = anna.post(f"/aufgaben/{item.id}/erledigt", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 404
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).done_at is None
