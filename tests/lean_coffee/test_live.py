"""The protocol against a live server with real python-socketio clients (few, but complete)."""

from __future__ import annotations

import json
import threading

import pytest

from tests.lean_coffee.conftest import without_guest_list
from tests.lean_coffee.live_support import Client, join_as_guest, seed, server_date, sign_in


def state_where(client, predicate, after=0):
    return client.wait_for("round:state", predicate, after=after)


def test_complete_round_with_guest_anonymous_topic_timer_and_restart(live_factory):
    server = live_factory()
    info = seed(server, vote_budget=2)
    rid = info["round_id"]
    anna = Client(server, sign_in(server, "anna@lindenau.example"), "anna")
    ben = Client(server, sign_in(server, "ben@auental.example"), "ben")
    guest = Client(server, join_as_guest(server, info["link"], "Gerda Geheim"), "guest")
    people = (anna, ben, guest)
    try:
        joined = {c.name: c.call("round:join", round_id=rid) for c in people}
        assert all(j["ok"] for j in joined.values())
        assert joined["anna"]["me"]["role"] == "facilitator"
        guest_pid = joined["guest"]["me"]["participant_id"]

        secret = guest.call(
            "topic:add", round_id=rid, title="Drohungen gegen Ratsmitglieder", anonymous=True
        )
        assert secret["ok"] and secret["me"]["my_topic_ids"] == [secret["topic_id"]]
        housing = ben.call("topic:add", round_id=rid, title="Wohnraum")["topic_id"]
        anna.call("topic:add", round_id=rid, title="Kita")
        assert anna.call("phase:advance", round_id=rid, to="vote")["ok"]

        # Budget 2: the third vote is refused and changes nothing.
        assert ben.call("vote:cast", round_id=rid, topic_id=secret["topic_id"])["ok"]
        assert ben.call("vote:cast", round_id=rid, topic_id=housing)["me"]["votes_left"] == 0
        over = ben.call("vote:cast", round_id=rid, topic_id=housing)
        assert over["ok"] is False and over["error"] == "budget_exhausted"
        assert guest.call("vote:cast", round_id=rid, topic_id=secret["topic_id"])["ok"]

        mark = [c.mark() for c in people]
        assert anna.call("phase:advance", round_id=rid, to="discuss")["ok"]
        states = [
            state_where(c, lambda d: d["round"]["phase"] == "discuss", m)
            for c, m in zip(people, mark, strict=True)
        ]
        ends = {s["timer"]["ends_at"] for s in states}
        assert len(ends) == 1 and None not in ends  # the same deadline for everyone
        assert states[0]["current_topic_id"] == secret["topic_id"]  # 2 votes: first
        votes_seen = {t["id"]: t["votes"] for t in states[0]["topics"]}
        assert votes_seen[secret["topic_id"]] == 2 and votes_seen[housing] == 1

        # Restart mid-round: nothing is lost, clients reconnect and rejoin.
        version_before = states[0]["version"]
        server.restart()
        for c in people:
            c.wait_for("connect", after=1, timeout=30)
        rejoined = [c.call("round:join", round_id=rid) for c in people]
        snap = rejoined[0]["snapshot"]
        assert snap["timer"]["ends_at"] in ends and snap["version"] > version_before
        assert snap["current_topic_id"] == secret["topic_id"]
        assert rejoined[1]["me"]["votes_used"] == 2
        presence = anna.call("round:sync", round_id=rid)["snapshot"]["presence"]
        assert presence["total"] == 3 and presence["guests"] == 1  # stale rows were swept

        # Expiry on the server opens the Roman vote; all thumbs up → extension by half.
        mark = [c.mark() for c in people]
        server.advance(8 * 60 + 1)
        for c, m in zip(people, mark, strict=True):
            state_where(c, lambda d: bool(d["roman"] and d["roman"]["open"]), m)
        mark = anna.mark()
        for c in people:
            assert c.call("roman:thumb", round_id=rid, value="up")["ok"]
        extended = state_where(anna, lambda d: bool(d["roman"] and d["roman"]["result"]), mark)
        assert extended["roman"]["result"]["outcome"] == "extend"
        assert extended["timer"]["duration_seconds"] == 240

        # Second expiry: thumbs down → next topic.
        mark = anna.mark()
        server.advance(241)
        state_where(anna, lambda d: bool(d["roman"] and d["roman"]["open"]), mark)
        mark = anna.mark()
        for c in people:
            c.call("roman:thumb", round_id=rid, value="down")
        moved = state_where(
            anna, lambda d: d["current_topic_id"] not in (None, secret["topic_id"]), mark
        )
        assert moved["roman"]["result"]["outcome"] == "next"

        assert ben.call(
            "takeaway:add",
            round_id=rid,
            topic_id=secret["topic_id"],
            text="Vorfälle immer dokumentieren",
        )["ok"]
        assert guest.call(
            "action:add",
            round_id=rid,
            topic_id=secret["topic_id"],
            what="Sicherheitsgespräch anfragen",
            owner_participant_id=1,
            due_on=server_date(server, days=14),
        )["ok"]
        anna.call("phase:advance", round_id=rid, to="wrapup")
        assert guest.call("closing:set", round_id=rid, text="Hilfreich.")["ok"]
        anna.call("phase:advance", round_id=rid, to="closed")

        page = ben.http.get(f"{server.url}/runden/{rid}/zusammenfassung", timeout=10)
        assert page.status_code == 200 and "Vorfälle immer dokumentieren" in page.text
        markdown = guest.http.get(f"{server.url}/runden/{rid}/zusammenfassung.md", timeout=10)
        assert "Sicherheitsgespräch anfragen" in markdown.text
        for text in (page.text, markdown.text):
            assert "Gerda" not in text

        room = [
            d["version"]
            for e, d in anna.received
            if e in ("round:state", "vote:progress", "presence:changed")
        ]
        assert len(room) == len(set(room))  # one room broadcast per change, unique versions
        for c in (anna, ben):  # the anonymous author is in no payload anyone else received
            # (Anna facilitates: her private guest list names the guest, nothing else does.)
            seen = json.dumps(without_guest_list(c.received), ensure_ascii=False)
            assert "Gerda" not in seen and "Geheim" not in seen
            assert f'"participant_id": {guest_pid}' not in seen
    finally:
        for c in people:
            c.close()


@pytest.mark.parametrize("async_mode", ["threading", "gevent"])
def test_budget_holds_under_concurrent_sockets_of_one_person(live_factory, async_mode):
    server = live_factory(async_mode=async_mode)
    info = seed(server, vote_budget=3)
    rid = info["round_id"]
    anna = Client(server, sign_in(server, "anna@lindenau.example"), "anna")
    ben_http = sign_in(server, "ben@auental.example")
    bens = [Client(server, ben_http, f"ben{i}") for i in range(4)]
    try:
        topic = anna.call("topic:add", round_id=rid, title="Ein Thema")["topic_id"]
        anna.call("phase:advance", round_id=rid, to="vote")
        results: list[dict] = []
        lock = threading.Lock()
        start = threading.Barrier(len(bens))

        def fire(client):
            start.wait()
            for _ in range(3):  # double clicks, replays: 12 attempts for a budget of 3
                answer = client.call("vote:cast", round_id=rid, topic_id=topic)
                with lock:
                    results.append(answer)

        threads = [threading.Thread(target=fire, args=(c,)) for c in bens]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ok = [r for r in results if r["ok"]]
        refused = [r for r in results if not r["ok"]]
        assert len(results) == 12 and len(ok) == 3
        assert {r["error"] for r in refused} == {"budget_exhausted"}
        me = bens[0].call("round:sync", round_id=rid)["me"]
        assert me["votes_used"] == 3 and me["my_votes"] == {str(topic): 3}
        progress = anna.call("round:sync", round_id=rid)["snapshot"]["voting"]
        assert progress["dots_cast"] == 3
    finally:
        for c in (anna, *bens):
            c.close()
