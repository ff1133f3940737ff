"""Every facilitator and participant event once through the socket layer (wiring and acks)."""

from __future__ import annotations

from datetime import timedelta


def ok(sock, event, **payload):
    res = sock.emit(event, payload, callback=True)
    assert res["ok"], (event, res)
    return res


def test_every_event_works_for_the_right_role(app, sockets, clock):
    cast, s = sockets
    rid = cast.round.id
    fac, anna, ben = s["orga"], s["anna"], s["ben"]
    for sock in s.values():
        ok(sock, "round:join", round_id=rid)
    a = ok(anna, "topic:add", round_id=rid, title="A", detail="eins")["topic_id"]
    b = ok(ben, "topic:add", round_id=rid, title="B")["topic_id"]
    c = ok(ben, "topic:add", round_id=rid, title="C")["topic_id"]
    d = ok(ben, "topic:add", round_id=rid, title="D")["topic_id"]
    e = ok(ben, "topic:add", round_id=rid, title="E")["topic_id"]
    ok(anna, "topic:edit", round_id=rid, topic_id=a, title="A2")
    assert (
        ben.emit("topic:edit", {"round_id": rid, "topic_id": a, "title": "x"}, callback=True)[
            "error"
        ]
        == "forbidden"
    )
    ok(ben, "topic:withdraw", round_id=rid, topic_id=e)
    ok(fac, "topic:remove", round_id=rid, topic_id=d)
    ok(fac, "phase:advance", round_id=rid, to="vote")
    ok(anna, "vote:cast", round_id=rid, topic_id=c)
    assert ok(anna, "vote:retract", round_id=rid, topic_id=c)["me"]["votes_left"] == 3
    ok(anna, "vote:cast", round_id=rid, topic_id=a)
    ok(ben, "vote:cast", round_id=rid, topic_id=c)
    ok(fac, "topic:merge", round_id=rid, topic_id=c, into_topic_id=b)
    ok(fac, "phase:advance", round_id=rid, to="discuss")  # a: 1, b: 1 → a first (older)
    snap = ok(anna, "round:sync", round_id=rid)["snapshot"]
    assert snap["current_topic_id"] == a and snap["timer"]["status"] == "running"
    ok(fac, "timer:pause", round_id=rid)
    ok(fac, "timer:resume", round_id=rid)
    assert ok(fac, "timer:extend", round_id=rid)["seconds"] == 240
    t = ok(ben, "takeaway:add", round_id=rid, topic_id=a, text="Erkenntnis")["takeaway_id"]
    ok(fac, "takeaway:delete", round_id=rid, takeaway_id=t)
    act = ok(
        anna,
        "action:add",
        round_id=rid,
        topic_id=a,
        what="Tun",
        owner_name="Wer",
        due_on=(clock.now() + timedelta(days=24)).date().isoformat(),
    )["action_id"]
    ok(anna, "action:delete", round_id=rid, action_id=act)
    ok(fac, "topic:next", round_id=rid)
    ok(fac, "topic:skip", round_id=rid, topic_id=b)
    snap = ok(anna, "round:sync", round_id=rid)["snapshot"]
    assert snap["current_topic_id"] is None
    assert {x["id"]: x["status"] for x in snap["topics"]} == {a: "discussed", b: "skipped"}
    assert ok(fac, "link:revoke", round_id=rid)["me"]["join_url"] is None
    assert ok(fac, "link:renew", round_id=rid)["me"]["join_url"]
    ok(fac, "facilitator:appoint", round_id=rid, participant_id=cast.ben.id, cofacilitator=True)
    assert (
        ok(fac, "facilitator:handover", round_id=rid, participant_id=cast.anna.id)["me"]["role"]
        == "cofacilitator"
    )
    assert ok(anna, "round:sync", round_id=rid)["me"]["role"] == "facilitator"
    ok(ben, "phase:advance", round_id=rid, to="wrapup")  # co-facilitators may run the round
    ok(ben, "closing:set", round_id=rid, text="Danke")
    ok(ben, "round:leave", round_id=rid)
    snap = ok(anna, "round:sync", round_id=rid)["snapshot"]
    assert snap["closing"] == ["Danke"] and snap["presence"]["total"] == 2


def test_roman_decide_overrides_through_the_socket(app, sockets, clock):
    from peerlab.core import due

    cast, s = sockets
    rid = cast.round.id
    ok(s["anna"], "topic:add", round_id=rid, title="A")
    ok(s["orga"], "phase:advance", round_id=rid, to="vote")
    ok(s["orga"], "phase:advance", round_id=rid, to="discuss")
    due.run_due(clock.advance(8 * 60 + 1))
    assert (
        s["anna"].emit("roman:decide", {"round_id": rid, "decision": "extend"}, callback=True)[
            "error"
        ]
        == "forbidden"
    )
    ok(s["anna"], "roman:thumb", round_id=rid, value="down")
    ok(s["orga"], "roman:decide", round_id=rid, decision="extend")
    roman = ok(s["anna"], "round:sync", round_id=rid)["snapshot"]["roman"]
    assert roman["result"]["outcome"] == "extend" and roman["result"]["overridden"] is True
