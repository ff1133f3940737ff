"""The shared layer carries a second live format on its own: a test feature of a few dozen lines
(`SessionFeature`) with a space kind, a live room, presence and an agenda of three timed steps,
built only from peerlab.core (no Lean Coffee code). Each test is one behaviour of that layer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import request
from flask_socketio import join_room
from sqlalchemy import Integer, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from peerlab.accounts import service as accounts_service
from peerlab.core import agenda, live, presence, spaces
from peerlab.core.due import run_due
from peerlab.core.errors import Forbidden, NotFound
from peerlab.core.live import Int
from peerlab.extensions import db
from tests.support.sockets import live_client

KIND, NS, STEP_SECONDS = "test.session", "/test-session", 60


class _Base(DeclarativeBase):
    """Own metadata: the test table stays out of the app's models (and their migrations)."""


class SessionRow(_Base):
    __tablename__ = "test_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


@dataclass(frozen=True)
class _User:
    """A user as core's space functions see one (the accounts feature has the real actor)."""

    id: int
    kind: str = "user"
    role: str = "member"


# --- the feature --------------------------------------------------------------------------
def _room(session_id: int) -> presence.Room:
    return presence.Room(KIND, session_id)


def _facilitates(session_id: int, actor) -> bool:
    row = spaces.membership_of(KIND, session_id, actor)
    return row is not None and row.status == "active" and row.role == "facilitator"


def session_snapshot(session_id: int, now) -> dict:
    """One query for the members with their presence, whatever the room's size."""
    here = presence.is_present_clause(KIND, session_id, spaces.Membership.id)
    members = db.session.execute(
        select(spaces.Membership.user_id, here)
        .where(spaces.Membership.space_kind == KIND, spaces.Membership.space_id == session_id)
        .where(spaces.Membership.status == "active")
    ).all()
    plan = agenda.get(KIND, session_id)
    return {
        "version": plan.version,
        "agenda": agenda.snapshot(plan, now=now),
        "present": sorted(user_id for user_id, is_here in members if is_here),
    }


def _presence_changes(session_id: int) -> None:
    """Presence is versioned with the subject (docs/realtime.md §6): bump before changing it."""
    agenda.lock(agenda.get(KIND, session_id).id)


def _broadcast(session_id: int, now) -> None:
    data = session_snapshot(session_id, now)
    live.queue_emit("session:state", data, to=f"{KIND}:{session_id}", namespace=NS)


class SessionFeature:
    def init_app(self, app, registry) -> None:
        spaces.register(spaces.MembershipPolicy(KIND, SessionRow, statuses=("active",)))
        registry.agenda_kind(
            agenda.AgendaKind(KIND, _facilitates, lambda a, now: _broadcast(a.subject_id, now))
        )
        room = live.LiveRoom(NS)

        @room.event("session:join", {"session_id": Int()})
        def join(actor, data, now):
            session_id = data["session_id"]
            spaces.require_visible(KIND, session_id, actor)  # not found: hidden and missing
            me = spaces.membership_of(KIND, session_id, actor)
            join_room(f"{KIND}:{session_id}")  # derived here, never named by the client
            _presence_changes(session_id)
            presence.join(_room(session_id), me.id, request.sid, now=now, namespace=NS)
            _broadcast(session_id, now)
            return {"snapshot": session_snapshot(session_id, now)}

        @room.event("agenda:start", {"session_id": Int()})
        def start(actor, data, now):
            spaces.require_visible(KIND, data["session_id"], actor)
            agenda.start(agenda.get(KIND, data["session_id"]), actor=actor, now=now)

        @room.event("member:remove", {"session_id": Int(), "user_id": Int()})
        def remove(actor, data, now):
            session_id = data["session_id"]
            spaces.require_visible(KIND, session_id, actor)
            if not _facilitates(session_id, actor):
                raise Forbidden()
            row = spaces.membership_of(KIND, session_id, _User(data["user_id"]))
            if row is None:
                raise NotFound()
            spaces.set_status(row, "removed", now=now)
            _presence_changes(session_id)
            presence.drop_member(_room(session_id), row.id)
            live.queue_disconnect_room(f"user:{data['user_id']}", namespace=NS)
            _broadcast(session_id, now)

        @room.on_disconnect
        def gone(sid, now):
            for session_id in presence.rooms_of_sid(KIND, sid):
                _presence_changes(session_id)
                presence.leave(_room(session_id), sid)
                _broadcast(session_id, now)
                db.session.commit()

        live.register(app, room)


# --- the tests ----------------------------------------------------------------------------
@pytest.fixture
def app_features():
    return (SessionFeature(),)


@pytest.fixture
def cast(app, make_user, login, now):
    """Session 1 with Anna (facilitator) and Ben, an agenda of three steps; Nora belongs to
    no session. Everyone signed in, each with a socket on the session namespace."""
    _Base.metadata.create_all(db.engine)
    db.session.add(SessionRow(id=1))
    people = {key: make_user(name=key.title()) for key in ("anna", "ben", "nora")}
    for key, role in (("anna", "facilitator"), ("ben", "member")):
        spaces.add_member(KIND, 1, user_id=people[key].id, role=role, status="active", now=now)
    steps = [agenda.Step(f"Schritt {i}", STEP_SECONDS) for i in (1, 2, 3)]
    agenda.create_agenda(KIND, 1, steps, actor=_User(people["anna"].id), now=now)
    db.session.commit()
    socks = {}
    for key, user in people.items():
        http = app.test_client()
        login(http, user)
        socks[key] = live_client(app, http, NS)
        assert socks[key].is_connected()
    # Plain ids: reading an expired row would open a write transaction (IMMEDIATE) in the
    # test's session and block the sockets' own sessions.
    ids = {key: user.id for key, user in people.items()}
    db.session.rollback()
    yield ids, socks
    db.session.rollback()
    for sock in socks.values():
        if sock.is_connected():
            sock.disconnect()


def _states(sock) -> list[dict]:
    return [m["args"][0] for m in sock.get_received() if m["name"] == "session:state"]


def _join(sock, session_id: int = 1) -> dict:
    return sock.emit("session:join", {"session_id": session_id}, callback=True)


def _expire_step(app, clock) -> None:
    clock.advance(STEP_SECONDS + 1)
    run_due(clock.now())


def test_join_gives_the_agenda_snapshot_and_tells_the_other_member(cast):
    people, socks = cast
    first = _join(socks["anna"])
    assert first["ok"]
    socks["anna"].get_received()
    ack = _join(socks["ben"])
    assert ack["ok"] is True
    snap = ack["snapshot"]
    assert [item["label"] for item in snap["agenda"]["items"]] == [
        "Schritt 1",
        "Schritt 2",
        "Schritt 3",
    ]
    assert snap["agenda"]["current_index"] is None and snap["agenda"]["status"] == "idle"
    assert isinstance(snap["version"], int)
    assert snap["present"] == sorted([people["anna"], people["ben"]])
    told = _states(socks["anna"])[-1]
    assert told["present"] == snap["present"]
    # Ben's presence is a change with a version of its own: Anna's board does not drop it.
    assert told["version"] == snap["version"] > first["snapshot"]["version"]


@pytest.mark.parametrize("session_id", [1, 999])
def test_non_member_and_missing_session_get_not_found_and_nothing_else(cast, session_id):
    people, socks = cast
    _join(socks["anna"])
    socks["nora"].get_received()
    ack = _join(socks["nora"], session_id)
    assert ack["ok"] is False and ack["error"] == "not_found"
    socks["anna"].emit("agenda:start", {"session_id": 1}, callback=True)
    assert socks["nora"].get_received() == []
    assert _states(socks["anna"])[-1]["present"] == [people["anna"]]


def test_expiry_of_step_one_advances_and_the_room_gets_the_new_snapshot(app, clock, cast):
    _people, socks = cast
    _join(socks["anna"]), _join(socks["ben"])
    assert socks["anna"].emit("agenda:start", {"session_id": 1}, callback=True)["ok"]
    socks["ben"].get_received()
    clock.advance(STEP_SECONDS - 5)
    run_due(clock.now())
    assert _states(socks["ben"]) == []  # not yet
    _expire_step(app, clock)
    state = _states(socks["ben"])[-1]["agenda"]
    assert state["current_index"] == 1 and state["current_label"] == "Schritt 2"
    assert state["status"] == "running"


def test_after_the_third_step_expires_the_agenda_is_finished(app, clock, cast):
    _people, socks = cast
    _join(socks["ben"])
    assert socks["anna"].emit("agenda:start", {"session_id": 1}, callback=True)["ok"]
    for _ in range(3):
        _expire_step(app, clock)
    state = _states(socks["ben"])[-1]["agenda"]
    assert state["status"] == "finished" and state["current_label"] is None
    assert agenda.get(KIND, 1).status == "finished"


def test_removal_disconnects_the_member_and_the_room_sees_them_gone(cast):
    people, socks = cast
    _join(socks["anna"]), _join(socks["ben"])
    socks["anna"].get_received()
    ack = socks["anna"].emit(
        "member:remove", {"session_id": 1, "user_id": people["ben"]}, callback=True
    )
    assert ack["ok"] is True
    assert not socks["ben"].is_connected()
    assert _states(socks["anna"])[-1]["present"] == [people["anna"]]
    assert spaces.membership_of(KIND, 1, _User(people["ben"])).status == "removed"


def test_a_member_may_not_remove_the_facilitator(cast):
    people, socks = cast
    ack = socks["ben"].emit(
        "member:remove", {"session_id": 1, "user_id": people["anna"]}, callback=True
    )
    assert ack["ok"] is False and ack["error"] == "forbidden"
    assert socks["anna"].is_connected()


def _session_of(size: int, session_id: int, now) -> None:
    """A session of `size` active members, all present, with its agenda running."""
    db.session.add(SessionRow(id=session_id))
    for n in range(size):
        user = accounts_service.create_user(
            email=f"s{session_id}-{n}@kommune.example", name=f"P {n}", now=now
        )
        row = spaces.add_member(
            KIND,
            session_id,
            user_id=user.id,
            role="facilitator" if n == 0 else "member",
            status="active",
            now=now,
        )
        presence.join(_room(session_id), row.id, f"sid-{session_id}-{n}", now=now, namespace=NS)
        if n == 0:
            first = _User(user.id)
    steps = [agenda.Step(f"Schritt {i}", STEP_SECONDS) for i in (1, 2, 3)]
    agenda.start(
        agenda.create_agenda(KIND, session_id, steps, actor=first, now=now), actor=first, now=now
    )
    db.session.commit()


def test_join_snapshot_costs_the_same_queries_with_2_and_with_8_members(app, now):
    _Base.metadata.create_all(db.engine)
    _session_of(2, 2, now)
    _session_of(8, 8, now)
    counts, sizes = [], []
    for session_id in (2, 8):
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        db.session.rollback()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            snap = session_snapshot(session_id, now)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        counts.append(len(statements))
        sizes.append(len(snap["present"]))
    assert sizes == [2, 8]
    assert counts[0] == counts[1] and counts[0] > 0, counts
