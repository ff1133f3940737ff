"""The realtime layer: authentication on connect, payload validation, error acknowledgements."""

import pytest

from peerlab.core.errors import InvalidInput
from peerlab.core.live import Bool, Int, Str, validate
from tests.support.sockets import live_client


def test_socket_without_user_or_guest_pass_is_refused(app):
    client = live_client(app, app.test_client())
    assert not client.is_connected()


def test_signed_in_user_connects(app, client, make_user, login):
    user = make_user()
    login(client, user)
    sock = live_client(app, client)
    assert sock.is_connected()
    sock.disconnect()


def test_unknown_event_gets_error_ack(app, client, make_user, login):
    login(client, make_user())
    sock = live_client(app, client)
    ack = sock.emit("no:such:event", {"x": 1}, callback=True)
    assert ack["ok"] is False and ack["error"] == "unknown_event"
    assert ack["message"]


FIELDS = {"round_id": Int(), "title": Str(10), "anonymous": Bool()}


def test_validate_accepts_good_payload():
    assert validate(FIELDS, {"round_id": 3, "title": " Hallo "}) == {
        "round_id": 3,
        "title": "Hallo",
        "anonymous": False,
    }


@pytest.mark.parametrize(
    "payload",
    [
        "text",
        [1],
        {"round_id": "3", "title": "x"},
        {"round_id": True, "title": "x"},
        {"round_id": 0, "title": "x"},
        {"round_id": 1, "title": "x" * 11},
        {"round_id": 1, "title": "   "},
        {"round_id": 1, "title": "x", "extra": 1},
        {"round_id": 1, "title": "x", "anonymous": "yes"},
        {"title": "x"},
        {"round_id": None, "title": "x"},
        {"round_id": 1, "title": "x", "anonymous": None},
    ],
)
def test_validate_refuses_bad_payloads(app, payload):
    with app.test_request_context(), pytest.raises(InvalidInput):
        validate(FIELDS, payload)
