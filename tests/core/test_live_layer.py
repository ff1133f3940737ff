"""The core live layer with a namespace of its own (no feature code): registration, reserved
names, null fields, and broadcasts that leave only with what was committed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlab.core import live
from peerlab.core.live import Int, Str
from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.sockets import live_client

PROBE = "/probe"


@pytest.fixture
def probe(app):
    """A test room on /probe: `echo` answers, disconnects are counted."""
    room = live.LiveRoom(PROBE)
    gone: list[str] = []

    @room.event(
        "echo",
        {
            "text": Str(20, required=False, default="leer"),
            "n": Int(required=False),
            "blob": Str(10**6, required=False),  # only the layer's size limit applies
        },
    )
    def echo(actor, data, now):
        return {"text": data["text"], "who": actor.room}

    @room.on_disconnect
    def left(sid, now):
        gone.append(sid)

    live.register(app, room)
    return gone


@pytest.fixture
def member(app, client, make_user, login, probe):
    user = make_user()
    login(client, user)
    sock = live_client(app, client, PROBE)
    assert sock.is_connected()
    yield user, sock
    # Reading `user` after a commit opened a write transaction (IMMEDIATE) in the test's
    # session; ending it lets the disconnect hook's own session write without a 30 s wait.
    db.session.rollback()
    if sock.is_connected():
        sock.disconnect()


def test_handler_answers_on_its_namespace(member):
    user, sock = member
    ack = sock.emit("echo", {"text": "hallo"}, callback=True)
    assert ack == {"ok": True, "text": "hallo", "who": f"user:{user.id}"}


def test_client_emitted_disconnect_is_an_unknown_event_and_runs_nothing(member, probe):
    _user, sock = member
    ack = sock.emit("disconnect", {}, callback=True)
    assert ack["ok"] is False and ack["error"] == "unknown_event"
    assert probe == [] and sock.is_connected()
    assert sock.emit("echo", {}, callback=True)["ok"] is True  # still the same live socket
    sock.disconnect()
    assert len(probe) == 1  # the real disconnect runs the hook, once


def test_client_emitted_connect_is_an_unknown_event(member):
    _user, sock = member
    ack = sock.emit("connect", {}, callback=True)
    assert ack["ok"] is False and ack["error"] == "unknown_event" and ack["message"]


@pytest.mark.parametrize("name", ["no:such:event", "connect_error", "disconnecting"])
def test_other_unregistered_names_are_unknown_events(member, name):
    _user, sock = member
    assert sock.emit(name, {"x": 1}, callback=True)["error"] == "unknown_event"


def test_null_for_an_optional_field_is_a_bad_payload(member):
    _user, sock = member
    for field in ("text", "n"):
        ack = sock.emit("echo", {field: None}, callback=True)
        assert ack["ok"] is False and ack["error"] == "bad_payload", field


def test_oversized_payload_is_answered_too_long(member):
    _user, sock = member
    assert sock.emit("echo", {"blob": "x" * (live.MAX_EVENT_BYTES - 100)}, callback=True)["ok"]
    ack = sock.emit("echo", {"blob": "x" * (live.MAX_EVENT_BYTES + 1)}, callback=True)
    assert ack["ok"] is False and ack["error"] == "too_long"
    assert sock.is_connected()


def test_anonymous_socket_is_refused_on_every_live_namespace(app, probe):
    assert not live_client(app, app.test_client(), PROBE).is_connected()


# --- one claim per (namespace, event) --------------------------------------------------------
def test_same_event_name_twice_in_one_namespace_is_refused():
    registry = live.Registry()
    first, second = live.LiveRoom("/a"), live.LiveRoom("/a")
    first.event("x:go")(lambda actor, data, now: None)
    second.event("x:go")(lambda actor, data, now: None)
    registry.add(first)
    with pytest.raises(live.DuplicateEvent, match="x:go"):
        registry.add(second)


def test_same_event_name_in_two_namespaces_is_fine():
    registry = live.Registry()
    for namespace in ("/a", "/b"):
        room = live.LiveRoom(namespace)
        room.event("timer:pause")(lambda actor, data, now: None)
        registry.add(room)
    assert sorted(registry.namespaces) == ["/a", "/b"]


def test_one_room_cannot_declare_a_name_twice_or_a_reserved_one():
    room = live.LiveRoom("/a")
    room.event("x:go")(lambda actor, data, now: None)
    with pytest.raises(live.DuplicateEvent):
        room.event("x:go")(lambda actor, data, now: None)
    with pytest.raises(live.DuplicateEvent):
        room.event("disconnect")(lambda actor, data, now: None)


def test_create_app_raises_when_a_feature_claims_another_features_event(tmp_path):
    class Clash:
        """A feature that claims an event Lean Coffee already has in its namespace."""

        def init_app(self, app, registry):
            clash = live.LiveRoom("/lean-coffee")
            clash.event("timer:pause")(lambda actor, data, now: None)
            live.register(app, clash)

    with pytest.raises(live.DuplicateEvent, match=r"timer:pause.*/lean-coffee"):
        make_app(tmp_path, features=(Clash(),))


# --- after commit, and only what was committed -----------------------------------------------
def _events(sock) -> list[str]:
    return [m["args"][0]["n"] for m in sock.get_received() if m["name"] == "probe:news"]


def _news(user, n: int) -> None:
    live.queue_emit("probe:news", {"n": n}, to=f"user:{user.id}", namespace=PROBE)


def _touch(user, name: str) -> None:
    user.name = name  # a real write, so the savepoint has something to undo
    db.session.flush()


def test_savepoint_rollback_keeps_the_outer_transactions_broadcasts(member):
    user, sock = member
    sock.get_received()
    _touch(user, "Vorher")
    _news(user, 1)
    savepoint = db.session.begin_nested()
    _news(user, 2)
    savepoint.rollback()
    _news(user, 3)
    assert _events(sock) == []  # nothing before the commit
    db.session.commit()
    assert _events(sock) == [1, 3]


def test_released_savepoint_sends_its_broadcasts_with_the_outer_commit(member):
    user, sock = member
    sock.get_received()
    with db.session.begin_nested():
        _news(user, 1)
    assert _events(sock) == []  # the outer transaction may still roll back
    db.session.commit()
    assert _events(sock) == [1]


def test_outer_rollback_drops_every_broadcast(member):
    user, sock = member
    sock.get_received()
    _touch(user, "Vorher")
    _news(user, 1)
    with db.session.begin_nested():
        _news(user, 2)
    db.session.rollback()
    db.session.commit()
    assert _events(sock) == []


def test_savepoint_rollback_keeps_the_outer_transactions_kick(member):
    user, sock = member
    _touch(user, "Vorher")
    live.queue_disconnect_room(f"user:{user.id}")
    savepoint = db.session.begin_nested()
    _news(user, 2)
    savepoint.rollback()
    assert sock.is_connected()
    db.session.commit()
    assert not sock.is_connected()


def test_kick_limited_to_a_namespace_leaves_the_persons_other_formats_connected(
    app, client, member
):
    user, sock = member
    other = live_client(app, client)  # the same person on Lean Coffee's namespace
    assert other.is_connected()
    _touch(user, "Vorher")
    live.queue_disconnect_room(f"user:{user.id}", namespace=PROBE)
    db.session.commit()
    assert not sock.is_connected()
    assert other.is_connected()
    other.disconnect()


# --- any input gets an answer ----------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
CODES = {"bad_payload", "too_long", "out_of_range", "unknown_event"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["echo", "disconnect", "connect", "x"]) | st.text(max_size=20),
    payload=json_values
    | st.dictionaries(st.sampled_from(["text", "n", "blob", "other"]), json_values),
)
def test_any_event_and_payload_gets_an_answer_and_the_socket_stays(member, name, payload):
    _user, sock = member
    ack = sock.emit(name, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool)
    if not ack["ok"]:
        assert ack["error"] in CODES and ack["message"]
    assert sock.is_connected()


def test_kick_also_clears_rows_of_a_socket_no_process_holds(member, now):
    from peerlab.core.live.models import LiveSocket, record

    user, sock = member
    room = f"user:{user.id}"
    # A crashed process: its rows stay until the sweep (or this kick) removes them.
    record("gone", PROBE, [room], now, process_id="crashed")
    db.session.commit()
    live.disconnect_room(room)
    assert not sock.is_connected()
    assert db.session.query(LiveSocket).count() == 0


def test_a_namespace_without_presence_refuses_presence_typing_and_read_events():
    quiet = live.LiveRoom("/quiet", presence=False)
    for name in ("presence:join", "typing", "typing:start", "read", "seen", "online"):
        with pytest.raises(ValueError):
            quiet.event(name)(lambda actor, data, now: None)
    quiet.event("thing:changed")(lambda actor, data, now: None)  # other events are fine
    loud = live.LiveRoom("/quiet")
    registry = live.Registry()
    registry.add(quiet)
    with pytest.raises(live.DuplicateEvent):
        registry.add(loud)  # one namespace cannot be declared with and without presence
