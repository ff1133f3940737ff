"""The live layer on the wire, as a third-party client sees it: a real python-socketio client
against a live server (refused connections, oversized messages)."""

from __future__ import annotations

import socketio

from peerlab.core.live import MAX_EVENT_BYTES
from tests.lean_coffee.live_support import Client, seed, sign_in

NAMESPACE = "/lean-coffee"


def test_refused_connection_says_unauthenticated(live_factory):
    server = live_factory()
    sio = socketio.Client(reconnection=False)
    refused: list[tuple] = []
    sio.on("connect_error", lambda *args: refused.append(args), namespace=NAMESPACE)
    try:
        sio.connect(server.url, namespaces=[NAMESPACE], transports=["websocket"], wait_timeout=10)
    except socketio.exceptions.ConnectionError:
        pass
    finally:
        sio.disconnect()
    assert refused, "no connect_error"
    (error,) = refused[0]  # what a JS client gets as err.message and err.data
    assert error["message"] == "unauthenticated"
    assert error["data"]["code"] == "unauthenticated" and error["data"]["message"]


def test_oversized_message_is_answered_and_the_socket_stays(live_factory):
    server = live_factory()
    info = seed(server)
    anna = Client(server, sign_in(server, "anna@lindenau.example"), "anna")
    try:
        huge = anna.call("topic:add", round_id=info["round_id"], title="x" * (100 * 1024))
        assert huge["ok"] is False and huge["error"] == "too_long"
        over = anna.call("round:sync", round_id=info["round_id"], pad="y" * MAX_EVENT_BYTES)
        assert over["ok"] is False and over["error"] == "too_long"
        assert anna.sio.connected
        assert anna.call("round:sync", round_id=info["round_id"])["ok"]
    finally:
        anna.close()
