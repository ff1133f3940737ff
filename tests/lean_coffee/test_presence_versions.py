"""Presence is versioned with the round (docs/realtime.md §6): every presence change — a join,
a disconnect, a dead process swept by the due job — raises the round's version and its
broadcast carries it, so a client that drops messages not newer than its version never drops
a presence change, and a later snapshot is always newer than the presence it contains."""

from __future__ import annotations

from peerlab.core import due
from peerlab.core import presence as core
from peerlab.extensions import db
from peerlab.lean_coffee import payloads
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import presence

ROOM_EVENTS = ("round:state", "vote:progress", "presence:changed")


def ack(sock, event, **payload):
    return sock.emit(event, payload, callback=True)


def version(rnd_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Round, rnd_id).version


def room_messages(sock) -> list[tuple[str, dict]]:
    return [(m["name"], m["args"][0]) for m in sock.get_received() if m["name"] in ROOM_EVENTS]


def test_every_presence_change_raises_the_version_and_a_later_snapshot_is_newer(
    sockets, clock, now
):
    cast, s = sockets
    rid = cast.round.id
    start = ack(s["orga"], "round:join", round_id=rid)["snapshot"]["version"]
    s["orga"].get_received()
    ack(s["anna"], "round:join", round_id=rid)
    ack(s["ben"], "round:join", round_id=rid)
    s["ben"].disconnect()
    # a socket of Anna's held by a process that then dies: the due job sweeps it
    core.join(presence.room(rid), cast.anna.id, "sid-elsewhere", now=now, process_id="dead")
    db.session.commit()
    due.run_due(clock.advance(core.SILENT_SECONDS + 1))
    assert ack(s["anna"], "topic:add", round_id=rid, title="Haushalt 2027")["ok"]

    seen = room_messages(s["orga"])
    kinds = [name for name, _data in seen]
    assert kinds == ["presence:changed"] * 4 + ["round:state"]  # 2 joins, disconnect, sweep
    versions = [data["version"] for _name, data in seen]
    assert versions == list(range(start + 1, start + 6))  # one version per change, no gaps
    presences = [data["presence"] for _name, data in seen]
    assert [p["total"] for p in presences[:3]] == [2, 3, 2]
    last_state = seen[-1][1]
    assert last_state["presence"] == presences[3]  # the snapshot holds the latest presence
    assert last_state["version"] > max(versions[:4])
    assert version(rid) == last_state["version"]


def test_a_presence_change_whose_broadcast_fails_still_takes_a_version(sockets, monkeypatch):
    """Otherwise the round would show the new presence under the version it had before:
    clients at that version would ignore it and never learn that Ben left."""
    cast, s = sockets
    rid = cast.round.id
    ack(s["anna"], "round:join", round_id=rid)
    ack(s["ben"], "round:join", round_id=rid)
    before = version(rid)

    def broken(*_args, **_kwargs):
        raise RuntimeError("broadcast broken")

    monkeypatch.setattr(payloads, "presence_changed", broken)
    s["ben"].disconnect()
    monkeypatch.undo()
    assert version(rid) == before + 1
    snap = ack(s["anna"], "round:sync", round_id=rid)["snapshot"]
    assert snap["version"] == before + 1 and cast.ben.id not in snap["presence"]["people"]
