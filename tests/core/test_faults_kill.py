"""A web process SIGKILLed mid-round, on PostgreSQL and Redis (issue 13, "What must hold"):
its clients reconnect to the other process (a proxy in front moves them), get a full
snapshot, nothing is lost or doubled and a retried action is applied once; the presence of
the dead process's sockets heals within 60 s of the (injected) clock."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.lean_coffee.live_support import Client, join_as_guest, seed, sign_in
from tests.support.cluster import database_fixtures, own_channel, scalar
from tests.support.forwarder import TcpForwarder
from tests.support.live import LiveServer
from tests.support.services import need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


pg_url, sql = database_fixtures("peerlab_faults_kill")


@pytest.fixture(scope="module")
def survivor(pg_url, tmp_path_factory):
    """Process B, which outlives every test of this module (shared: starting a process is
    most of a test's time); each test starts its own process A and kills it."""
    queue = need_redis()
    env = {"SOCKETIO_CHANNEL": own_channel()}
    b = LiveServer(
        tmp_path_factory.mktemp("b"),
        db_url=pg_url,
        queue=queue,
        scheduler="external",
        extra_env=env,
    )
    try:
        yield b.start()
    finally:
        b.stop()


@pytest.fixture
def two_processes(sql, pg_url, survivor, live_factory):
    a = live_factory(
        db_url=pg_url, queue=survivor.queue, scheduler="external", extra_env=survivor.extra_env
    )
    return a, survivor


def board(snapshot: dict) -> list[tuple]:
    """What must survive: every topic with its title, status and dots."""
    return sorted((t["id"], t["title"], t["status"], t["votes"]) for t in snapshot["topics"])


def test_clients_of_a_killed_process_reconnect_to_the_other_and_nothing_is_lost_or_doubled(
    sql, two_processes
):
    a, b = two_processes
    proxy = TcpForwarder(a.port).start()  # what a load balancer does for clients of A
    via_proxy = SimpleNamespace(url=f"http://127.0.0.1:{proxy.port}")
    info = seed(a, vote_budget=3)
    rid = info["round_id"]
    anna = Client(b, sign_in(b, "anna@lindenau.example"), "anna-on-b")
    ben = Client(via_proxy, sign_in(a, "ben@auental.example"), "ben-on-a")
    guest = Client(via_proxy, join_as_guest(a, info["link"], "Gerda Gast"), "guest-on-a")
    people = (anna, ben, guest)
    try:
        for c in people:
            assert c.call("round:join", round_id=rid)["ok"]
        housing = ben.call(
            "topic:add", round_id=rid, title="Wohnraum", request_id="ben-topic-0001"
        )["topic_id"]
        remote = {"round_id": rid, "title": "Homeoffice", "anonymous": True}
        remote_id = guest.call("topic:add", **remote, request_id="gerda-topic-01")["topic_id"]
        anna.call("topic:add", round_id=rid, title="Kita")
        assert anna.call("phase:advance", round_id=rid, to="vote")["ok"]
        vote = {"round_id": rid, "topic_id": housing, "request_id": "ben-vote-00001"}
        assert ben.call("vote:cast", **vote)["me"]["votes_used"] == 1
        assert guest.call("vote:cast", round_id=rid, topic_id=remote_id)["ok"]
        before = anna.call("round:sync", round_id=rid)["snapshot"]

        marks = {c.name: c.mark() for c in (ben, guest)}
        proxy.retarget(b.port)
        a.kill()
        for c in (ben, guest):
            c.wait_for("disconnect", after=marks[c.name], timeout=20)
            c.wait_for("connect", after=marks[c.name], timeout=20)
        rejoined = {c.name: c.call("round:join", round_id=rid) for c in (ben, guest)}
        for answer in rejoined.values():  # a full snapshot, from process B
            assert answer["ok"] and board(answer["snapshot"]) == board(before)
            assert answer["snapshot"]["version"] >= before["version"]
        assert rejoined["ben-on-a"]["me"]["votes_used"] == 1
        assert rejoined["guest-on-a"]["me"]["my_topic_ids"] == [remote_id]

        # The acks were lost with the connection: the boards send again, with the same ids.
        assert ben.call("vote:cast", **vote) == {"ok": True, "repeated": True}
        again = guest.call("topic:add", **remote, request_id="gerda-topic-01")
        assert again == {"ok": True, "repeated": True, "topic_id": remote_id}
        after = anna.call("round:sync", round_id=rid)["snapshot"]
        assert board(after) == board(before)
        votes = "SELECT sum(dots) FROM lean_coffee_votes WHERE round_id = :r"
        assert scalar(sql, votes, r=rid) == 2
        topics = "SELECT count(*) FROM lean_coffee_topics WHERE round_id = :r"
        assert scalar(sql, topics, r=rid) == 3

        # A new action after the move is applied, once, and everyone sees it.
        mark = anna.mark()
        fresh = {**vote, "request_id": "ben-vote-00002"}
        assert ben.call("vote:cast", **fresh)["me"]["votes_used"] == 2
        anna.wait_for("vote:progress", after=mark)
        assert scalar(sql, votes, r=rid) == 3
    finally:
        for c in people:
            c.sio.shutdown()
        proxy.stop()


def test_presence_of_a_killed_process_heals_within_60_seconds(sql, two_processes):
    a, b = two_processes
    rid = seed(a)["round_id"]
    anna = Client(b, sign_in(b, "anna@lindenau.example"), "anna-on-b")
    ben = Client(a, sign_in(a, "ben@auental.example"), "ben-on-a")
    try:
        assert anna.call("round:join", round_id=rid)["ok"]
        assert ben.call("round:join", round_id=rid)["ok"]
        assert anna.call("round:sync", round_id=rid)["snapshot"]["presence"]["total"] == 2
        assert scalar(sql, "SELECT count(*) FROM live_processes") == 2
        mark = anna.mark()
        a.kill()
        ben.sio.shutdown()
        # Nothing tells B that A died: only the heartbeat falls silent.
        b.advance(10)
        assert anna.call("round:sync", round_id=rid)["snapshot"]["presence"]["total"] == 2
        b.advance(50)  # 60 s after the kill
        healed = anna.wait_for(
            "presence:changed", lambda d: d["presence"]["total"] == 1, after=mark, timeout=10
        )
        assert healed["round_id"] == rid
        assert anna.call("round:sync", round_id=rid)["snapshot"]["presence"]["total"] == 1
        assert scalar(sql, "SELECT count(*) FROM live_processes") == 1
        assert scalar(sql, "SELECT count(*) FROM live_presence") == 1  # Anna's own
        assert scalar(sql, "SELECT count(DISTINCT sid) FROM live_sockets") == 1  # hers too
    finally:
        anna.sio.shutdown()
        ben.sio.shutdown()
