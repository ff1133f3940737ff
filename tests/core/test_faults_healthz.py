"""A web process that loses PostgreSQL or Redis answers /healthz with 503 and recovers by
itself when they return (issue 13). The services are not stopped (others use them): the
process reaches them through a TCP forwarder that the test cuts and opens again."""

from __future__ import annotations

import time

import pytest
import requests

from tests.lean_coffee.live_support import Client, seed, sign_in
from tests.support.cluster import database_fixtures, empty_tables, own_channel
from tests.support.forwarder import TcpForwarder
from tests.support.live import LiveServer
from tests.support.services import need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


pg_url, sql = database_fixtures("peerlab_faults_health")


@pytest.fixture(scope="module")
def processes(pg_url, tmp_path_factory):
    """Process A reaches PostgreSQL and Redis through forwarders; process B directly. Both
    tests of this module share them (starting two processes is most of a test's time); each
    test leaves the lines open again."""
    queue = need_redis()
    tmp = tmp_path_factory.mktemp("procs")
    pg_line = TcpForwarder(5432).start()
    redis_line = TcpForwarder(6379).start()
    env = {"SOCKETIO_CHANNEL": own_channel()}
    a = LiveServer(
        tmp / "a",
        db_url=pg_url.replace("127.0.0.1:5432", pg_line.url_host),
        queue=queue.replace("127.0.0.1:6379", redis_line.url_host),
        scheduler="external",
        extra_env=env,
    )
    b = LiveServer(tmp / "b", db_url=pg_url, queue=queue, scheduler="external", extra_env=env)
    try:
        a.start()
        b.start()
        yield a, b, pg_line, redis_line
    finally:
        a.stop()
        b.stop()
        pg_line.stop()
        redis_line.stop()


@pytest.fixture
def cut_off(pg_url, processes):
    empty_tables(pg_url)
    yield processes
    _a, _b, pg_line, redis_line = processes
    for line in (pg_line, redis_line):  # open again, also after a failed test
        if line.paused:
            line.resume()


def health(server) -> tuple[int, dict]:
    resp = requests.get(server.url + "/healthz", timeout=10)
    return resp.status_code, resp.json()["checks"]


def wait_health(server, status: int, timeout: float = 20.0) -> tuple[float, dict]:
    """Seconds until /healthz answers `status`, and its checks then."""
    start = time.monotonic()
    while True:
        code, checks = health(server)
        if code == status:
            return time.monotonic() - start, checks
        assert time.monotonic() - start < timeout, (code, checks)
        time.sleep(0.2)


def reaches(sender: Client, receiver: Client, rid: int, title: str, timeout: float) -> bool:
    """Does a topic added on the sender's process reach the receiver's board?"""
    mark = receiver.mark()
    assert sender.call("topic:add", round_id=rid, title=title)["ok"]
    try:
        receiver.wait_for(
            "round:state",
            lambda d: title in [t["title"] for t in d["topics"]],
            after=mark,
            timeout=timeout,
        )
    except AssertionError:
        return False
    return True


def test_a_lost_queue_gives_503_and_the_process_hears_other_processes_again(cut_off):
    a, b, _pg_line, redis_line = cut_off
    rid = seed(a)["round_id"]
    anna = Client(a, sign_in(a, "anna@lindenau.example"), "anna-on-a")
    ben = Client(b, sign_in(b, "ben@auental.example"), "ben-on-b")
    try:
        assert anna.call("round:join", round_id=rid)["ok"]
        assert ben.call("round:join", round_id=rid)["ok"]
        assert reaches(ben, anna, rid, "Vor dem Ausfall", timeout=10)

        redis_line.pause()
        _seconds, checks = wait_health(a, 503)
        assert checks == {"database": "ok", "message_queue": "error"}
        assert health(b)[0] == 200  # the other process is not affected
        # B goes on; what it broadcasts now cannot reach A (pub/sub keeps nothing).
        missed = ben.call("topic:add", round_id=rid, title="Während des Ausfalls")["topic_id"]
        time.sleep(6)  # a longer outage: A's listener has failed several times meanwhile

        mark = anna.mark()
        redis_line.resume()
        seconds, checks = wait_health(a, 200, timeout=15)
        assert checks == {"database": "ok", "message_queue": "ok"}
        # Healthy again means: A hears again, without a restart, and its boards catch up.
        anna.wait_for("live:resync", after=mark, timeout=5)
        snapshot = anna.call("round:sync", round_id=rid)["snapshot"]
        assert missed in [t["id"] for t in snapshot["topics"]]
        assert reaches(ben, anna, rid, "Nach dem Ausfall", timeout=10)
        assert reaches(anna, ben, rid, "Und zurück", timeout=10)
        assert ben.mark() == len([e for e, _ in ben.received])
        assert not any(e == "live:resync" for e, _ in ben.received)  # B missed nothing
        print(f"A healthy again {seconds:.1f} s after Redis returned")
    finally:
        anna.sio.shutdown()
        ben.sio.shutdown()


def test_a_lost_database_gives_503_and_the_process_recovers_without_a_failed_request(cut_off):
    a, b, pg_line, _redis_line = cut_off
    rid = seed(b)["round_id"]
    anna = Client(a, sign_in(a, "anna@lindenau.example"), "anna-on-a")
    try:
        assert anna.call("round:join", round_id=rid)["ok"]
        for _ in range(3):  # several pooled connections in use
            assert anna.call("round:sync", round_id=rid)["ok"]

        # A blip nobody noticed (no request meanwhile): the pooled connections are dead, and
        # the next requests must not get them.
        pg_line.pause()
        time.sleep(0.5)
        pg_line.resume()
        for _ in range(3):
            assert anna.call("round:sync", round_id=rid)["ok"]

        pg_line.pause()
        _seconds, checks = wait_health(a, 503)
        assert checks == {"database": "error", "message_queue": "ok"}
        failed = anna.call("round:sync", round_id=rid)
        assert failed["ok"] is False  # an answer, not a hang or a dropped socket
        assert health(b)[0] == 200

        pg_line.resume()
        # The first request after the return already works: no dead pooled connection is
        # handed out (each request and event gets a live one).
        for _ in range(5):
            assert anna.call("round:sync", round_id=rid)["ok"]
        assert health(a) == (200, {"database": "ok", "message_queue": "ok"})
        page = anna.http.get(f"{a.url}/runden/{rid}", timeout=10)
        assert page.status_code == 200
    finally:
        anna.sio.shutdown()
