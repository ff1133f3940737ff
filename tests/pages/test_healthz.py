"""GET /healthz: JSON state of the database and, when configured, the message queue."""

import pytest

from tests.conftest import make_app
from tests.support.services import need_redis


@pytest.mark.redis
def test_healthz_checks_configured_message_queue(tmp_path):
    url = need_redis()
    app = make_app(tmp_path, SOCKETIO_MESSAGE_QUEUE=url)
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["checks"] == {"database": "ok", "message_queue": "ok"}


def test_healthz_is_503_when_message_queue_is_unreachable(tmp_path):
    app = make_app(tmp_path, SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:1/0")
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["status"] == "error" and body["checks"]["message_queue"] == "error"


@pytest.mark.redis
def test_healthz_is_503_while_this_process_does_not_hear_the_queue(tmp_path):
    from peerlab.core.live.queue import RedisQueue
    from peerlab.extensions import socketio

    app = make_app(tmp_path, SOCKETIO_MESSAGE_QUEUE=need_redis())
    manager = socketio.server.manager
    assert isinstance(manager, RedisQueue)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # no socket yet: nothing to hear
    manager.listening, manager.hearing = True, False  # Redis answers, the listener is not back
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["checks"]["message_queue"] == "error"
    manager.hearing = True
    assert client.get("/healthz").status_code == 200
