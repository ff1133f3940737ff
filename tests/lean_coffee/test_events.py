"""Socket events through Flask-SocketIO's test client: authorization, bad payloads, privacy."""

from __future__ import annotations

import json

import pytest

from peerlab.extensions import db
from peerlab.lean_coffee.models import Round
from tests.lean_coffee.conftest import guest_socket, without_guest_list


def ack(sock, event, **payload):
    return sock.emit(event, payload, callback=True)


def version(rnd_id):
    db.session.expire_all()
    return db.session.get(Round, rnd_id).version


def test_join_gives_snapshot_with_version_timer_and_private_state(sockets):
    cast, s = sockets
    res = ack(s["anna"], "round:join", round_id=cast.round.id)
    assert res["ok"] is True
    snap = res["snapshot"]
    assert snap["protocol"] == 3 and snap["version"] >= 1
    assert snap["round"]["phase"] == "collect" and snap["round"]["phase_hint"]
    assert {"ends_at", "server_now", "status"} <= set(snap["timer"])
    assert res["me"]["votes_left"] == 3 and res["me"]["role"] == "participant"
    assert res["me"]["join_url"] is None  # only facilitators see the guest link
    assert ack(s["orga"], "round:join", round_id=cast.round.id)["me"]["join_url"]


def test_client_emitted_disconnect_and_connect_change_nothing(sockets):
    """Reserved names sent as events: the socket stays present and nobody's state changes."""
    cast, s = sockets
    rid = cast.round.id
    ack(s["anna"], "round:join", round_id=rid)
    ack(s["ben"], "round:join", round_id=rid)
    before = version(rid)
    for name in ("disconnect", "connect"):
        fake = ack(s["ben"], name, round_id=rid)
        assert fake["ok"] is False and fake["error"] == "unknown_event"
    assert version(rid) == before
    presence = ack(s["anna"], "round:sync", round_id=rid)["snapshot"]["presence"]
    assert cast.ben.id in presence["people"] and presence["total"] == 2
    assert s["ben"].is_connected()


def test_not_a_participant_gets_not_found(app, sockets, make_user, login):
    from tests.support.sockets import live_client

    cast, _s = sockets
    http = app.test_client()
    login(http, make_user(name="Fremd"))
    stranger = live_client(app, http)
    res = ack(stranger, "round:join", round_id=cast.round.id)
    assert res == {"ok": False, "error": "not_found", "message": res["message"]}
    assert ack(stranger, "topic:add", round_id=cast.round.id, title="x")["error"] == "not_found"


@pytest.mark.parametrize(
    ("event", "payload", "code"),
    [
        ("topic:add", {"round_id": "1", "title": "x"}, "bad_payload"),
        ("topic:add", {"title": "x"}, "bad_payload"),
        ("topic:add", {"round_id": 1, "title": "x" * 121}, "too_long"),
        ("topic:add", {"round_id": 1, "title": "x", "author": "me"}, "bad_payload"),
        ("vote:cast", {"round_id": 1, "topic_id": 1.5}, "bad_payload"),
        ("roman:thumb", {"round_id": 1, "value": "sideways"}, "bad_payload"),
        ("phase:advance", {"round_id": 1, "to": "vote"}, "forbidden"),
        ("vote:cast", {"round_id": 1, "topic_id": 1}, "wrong_phase"),
        ("round:explode", {"round_id": 1}, "unknown_event"),
    ],
)
def test_bad_events_get_error_ack_and_change_nothing(sockets, event, payload, code):
    cast, s = sockets
    assert cast.round.id == 1
    ack(s["anna"], "topic:add", round_id=1, title="Ein Thema")
    before = version(1)
    res = s["anna"].emit(event, payload, callback=True)
    assert res["ok"] is False and res["error"] == code and res["message"]
    assert version(1) == before


def test_ids_of_another_round_are_not_found(app, sockets, now):
    from peerlab.lean_coffee.service import rounds, topics
    from tests.lean_coffee.conftest import participant_of

    cast, s = sockets
    other = rounds.create_round(
        rounds.RoundSettings(title="Andere", starts_at=now),
        creator=cast.users["ben"],
        invitees=[],
        now=now,
    )
    foreign = topics.add_topic(other, participant_of(other, cast.users["ben"]), "x", now=now)
    db.session.commit()
    ack(s["anna"], "topic:add", round_id=cast.round.id, title="Eigenes")
    ack(s["orga"], "phase:advance", round_id=cast.round.id, to="vote")
    before = version(cast.round.id)
    res = ack(s["ben"], "vote:cast", round_id=cast.round.id, topic_id=foreign.id)
    assert res["error"] == "not_found"
    res = ack(
        s["orga"],
        "topic:merge",
        round_id=cast.round.id,
        topic_id=foreign.id,
        into_topic_id=foreign.id,
    )
    assert res["error"] in ("not_found", "invalid_input")
    assert version(cast.round.id) == before


def test_anonymous_author_appears_in_no_payload(app, sockets):
    cast, s = sockets
    guest = guest_socket(app, cast.round, name="Gerda Geheim")
    for sock in (*s.values(), guest):
        ack(sock, "round:join", round_id=cast.round.id)
    res = ack(guest, "topic:add", round_id=cast.round.id, title="Bedrohungen", anonymous=True)
    assert res["ok"] and res["me"]["my_topic_ids"] == [res["topic_id"]]
    author_id = res["me"]["participant_id"]
    for sock in s.values():
        synced = ack(sock, "round:sync", round_id=cast.round.id)
        assert res["topic_id"] not in synced["me"]["my_topic_ids"]
        # The facilitator's private guest list names the guest (to remove them), but nothing
        # else links the guest to the anonymous topic.
        text = json.dumps(without_guest_list([sock.get_received(), synced]), ensure_ascii=False)
        assert "Gerda" not in text and "Geheim" not in text
        assert f'"participant_id": {author_id}' not in text
        topic = next(t for t in synced["snapshot"]["topics"] if t["id"] == res["topic_id"])
        assert topic["author"] is None and topic["anonymous"] is True


def test_same_user_on_two_sockets_gets_private_update(app, sockets):
    from tests.support.sockets import live_client

    cast, s = sockets
    second = live_client(app, s["ben"].http)
    topic = ack(s["anna"], "topic:add", round_id=cast.round.id, title="T")["topic_id"]
    ack(s["orga"], "phase:advance", round_id=cast.round.id, to="vote")
    second.get_received()
    res = ack(s["ben"], "vote:cast", round_id=cast.round.id, topic_id=topic)
    assert res["me"]["votes_left"] == 2
    mine = [m for m in second.get_received() if m["name"] == "round:me"]
    assert mine and mine[-1]["args"][0]["me"]["votes_left"] == 2
    second.disconnect()


def test_counts_hidden_until_voting_closes(sockets):
    cast, s = sockets
    rid = cast.round.id
    ack(s["anna"], "round:join", round_id=rid)
    topic = ack(s["anna"], "topic:add", round_id=rid, title="T")["topic_id"]
    ack(s["orga"], "phase:advance", round_id=rid, to="vote")
    ack(s["ben"], "vote:cast", round_id=rid, topic_id=topic)
    snap = ack(s["anna"], "round:sync", round_id=rid)["snapshot"]
    assert snap["topics"][0]["votes"] is None and snap["voting"]["dots_cast"] == 1
    ack(s["orga"], "phase:advance", round_id=rid, to="discuss")
    snap = ack(s["anna"], "round:sync", round_id=rid)["snapshot"]
    assert snap["topics"][0]["votes"] == 1 and snap["current_topic_id"] == topic


def test_removed_guest_is_told_and_disconnected(app, sockets):
    cast, s = sockets
    guest = guest_socket(app, cast.round)
    res = ack(guest, "round:join", round_id=cast.round.id)
    assert res["ok"] and res["me"]["is_guest"]
    snap = ack(s["orga"], "round:sync", round_id=cast.round.id)["snapshot"]
    assert snap["presence"]["guests"] == 1
    assert "Gast Gerda" not in json.dumps(snap["people"])  # guests count, names stay out
    removed = ack(
        s["orga"],
        "participant:remove",
        round_id=cast.round.id,
        participant_id=res["me"]["participant_id"],
    )
    assert removed["ok"]
    assert not guest.is_connected()
    snap = ack(s["orga"], "round:sync", round_id=cast.round.id)["snapshot"]
    assert snap["presence"]["guests"] == 0


def test_anonymous_author_is_not_logged(app, sockets, caplog):
    import logging

    cast, _s = sockets
    caplog.set_level(logging.DEBUG)
    guest = guest_socket(app, cast.round, name="Gerda Geheim")
    ack(guest, "round:join", round_id=cast.round.id)
    ack(guest, "topic:add", round_id=cast.round.id, title="Heikel", anonymous=True)
    ack(guest, "topic:add", round_id=cast.round.id, title="x" * 500, anonymous=True)
    assert "Gerda" not in caplog.text and "Heikel" not in caplog.text
