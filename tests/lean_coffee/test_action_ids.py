"""Client actions carry an id of the client's choice; a retried action is applied once, also
after a reconnect (core/live/actions.py, docs/realtime.md §2)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from peerlab.core.live import actions
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Topic, Vote
from peerlab.lean_coffee.service import rounds, topics
from tests.support.sockets import live_client

ID = "a1b2c3d4e5f60718"


def in_vote_phase(cast, now) -> int:
    topic = topics.add_topic(cast.round, cast.fac, "Haushalt 2027", anonymous=False, now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    db.session.commit()
    return topic.id


def votes_used(participant_id: int) -> int:
    db.session.remove()
    return db.session.get(Participant, participant_id).votes_used


def progress_messages(sock) -> list[dict]:
    return [m for m in sock.get_received() if m["name"] == "vote:progress"]


def test_a_vote_sent_twice_with_one_id_counts_once(sockets, now):
    cast, clients = sockets
    topic_id = in_vote_phase(cast, now)
    anna = clients["anna"]
    rid = cast.round.id
    assert anna.emit("round:join", {"round_id": rid, "request_id": ID}, callback=True)["ok"]
    anna.get_received()
    vote = {"round_id": rid, "topic_id": topic_id, "request_id": ID}
    first = anna.emit("vote:cast", vote, callback=True)
    assert first["ok"] is True and first["me"]["votes_used"] == 1
    assert len(progress_messages(anna)) == 1
    again = anna.emit("vote:cast", vote, callback=True)
    assert again == {"ok": True, "repeated": True}
    assert progress_messages(anna) == []  # nothing changed, nothing announced
    assert votes_used(cast.anna.id) == 1
    other = anna.emit("vote:cast", {**vote, "request_id": "another-id-0001"}, callback=True)
    assert other["ok"] is True and other["me"]["votes_used"] == 2


def test_a_retry_after_a_reconnect_is_applied_once(sockets, app, now):
    cast, clients = sockets
    in_vote_phase(cast, now)
    ben = clients["ben"]
    rid = cast.round.id
    add = {"round_id": rid, "title": "Homeoffice", "anonymous": True, "request_id": ID}
    first = ben.emit("topic:add", add, callback=True)
    assert first["ok"] is False and first["error"] == "wrong_phase"  # refused: nothing kept
    db.session.remove()
    rnd = rounds.lock(rid)
    rnd.phase = "collect"  # back to collecting, as if the refusal had not happened
    db.session.commit()
    first = ben.emit("topic:add", add, callback=True)
    assert first["ok"] is True
    ben.disconnect()  # the ack got lost with the connection; the board sends again
    again_sock = live_client(app, ben.http)
    assert again_sock.emit("round:join", {"round_id": rid}, callback=True)["ok"]
    again = again_sock.emit("topic:add", add, callback=True)
    assert again == {"ok": True, "repeated": True, "topic_id": first["topic_id"]}
    titles = db.session.scalars(select(Topic.title).where(Topic.round_id == rid)).all()
    assert titles.count("Homeoffice") == 1
    again_sock.disconnect()


def test_ids_are_per_person(sockets, now):
    cast, clients = sockets
    topic_id = in_vote_phase(cast, now)
    vote = {"round_id": cast.round.id, "topic_id": topic_id, "request_id": ID}
    assert clients["anna"].emit("vote:cast", vote, callback=True)["me"]["votes_used"] == 1
    assert clients["ben"].emit("vote:cast", vote, callback=True)["me"]["votes_used"] == 1
    db.session.remove()
    dots = db.session.scalar(select(func.sum(Vote.dots)).where(Vote.topic_id == topic_id))
    assert dots == 2


def test_a_malformed_id_is_refused_and_changes_nothing(sockets, now):
    cast, clients = sockets
    topic_id = in_vote_phase(cast, now)
    for bad in ("short", "x" * 65, "mit leerzeichen!", 12345678, None, True):
        ack = clients["anna"].emit(
            "vote:cast",
            {"round_id": cast.round.id, "topic_id": topic_id, "request_id": bad},
            callback=True,
        )
        assert ack["ok"] is False and ack["error"] == "bad_payload", (bad, ack)
    assert votes_used(cast.anna.id) == 0
    assert db.session.scalar(select(func.count(actions.LiveAction.id))) == 0


def test_kept_ids_are_forgotten_after_a_day(sockets, now):
    cast, clients = sockets
    topic_id = in_vote_phase(cast, now)
    vote = {"round_id": cast.round.id, "topic_id": topic_id, "request_id": ID}
    anna_id = cast.users["anna"].id
    assert clients["anna"].emit("vote:cast", vote, callback=True)["ok"]
    db.session.remove()
    row = db.session.scalar(select(actions.LiveAction))
    assert (row.namespace, row.sender, row.event) == (
        "/lean-coffee",
        f"user:{anna_id}",
        "vote:cast",
    )
    assert row.answer == "{}"  # a vote's answer keeps no private state
    later = row.applied_at + actions.KEEP
    assert actions.purge(later - timedelta(seconds=1)) == 0
    assert actions.purge(later + timedelta(seconds=1)) == 1


def test_an_event_with_an_action_item_id_takes_a_request_id_too(sockets, now):
    """`action:delete` names the action item `action_id`; the request id is another field."""
    from peerlab.lean_coffee.service import discussion, notes

    cast, clients = sockets
    topic = topics.add_topic(cast.round, cast.fac, "Haushalt", anonymous=False, now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    assert discussion.current_topic(cast.round).id == topic.id
    item = notes.add_action(cast.round, cast.anna, topic.id, "Entwurf schicken", now=now)
    db.session.commit()
    delete = {"round_id": cast.round.id, "action_id": item.id, "request_id": ID}
    assert clients["anna"].emit("action:delete", delete, callback=True)["ok"] is True
    assert clients["anna"].emit("action:delete", delete, callback=True) == {
        "ok": True,
        "repeated": True,
    }
