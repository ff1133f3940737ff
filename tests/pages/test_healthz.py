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
