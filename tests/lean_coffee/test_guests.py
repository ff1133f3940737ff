"""Guests' names reach facilitators only (their private `me`), and facilitators remove guests."""

from __future__ import annotations

import json

from peerlab.extensions import db
from peerlab.lean_coffee import payloads
from peerlab.lean_coffee.service import rounds
from tests.lean_coffee.conftest import guest_socket


def ack(sock, event, **payload):
    return sock.emit(event, payload, callback=True)


def everything(sock, *acks) -> str:
    """All a test client has received so far plus the given acks, as one text."""
    return json.dumps([sock.get_received(), acks], ensure_ascii=False)


def test_service_gives_guest_list_to_facilitators_only(make_round, now):
    cast = make_round()
    rnd = cast.round
    guest, _secret = rounds.create_guest(rnd, "Gerda Gast", now=now)
    gerda = rounds.ensure_participant(rnd, guest=guest, now=now)
    db.session.commit()
    assert payloads.me(rnd, cast.fac)["guests"] == [
        {"participant_id": gerda.id, "name": "Gerda Gast", "present": False}
    ]
    assert payloads.me(rnd, cast.anna)["guests"] is None
    assert payloads.me(rnd, gerda)["guests"] is None
    assert "Gerda" not in json.dumps(payloads.snapshot(rnd, now), ensure_ascii=False)
    cast.anna.role = "cofacilitator"
    db.session.commit()
    assert payloads.me(rnd, cast.anna)["guests"][0]["name"] == "Gerda Gast"
    rnd.group_id = 7  # a confidential round names nobody, not even to facilitators
    db.session.commit()
    assert payloads.me(rnd, cast.fac)["guests"] == [
        {"participant_id": gerda.id, "name": None, "present": False}
    ]


def test_non_facilitators_never_receive_guest_names_facilitators_do(app, sockets):
    cast, s = sockets
    rid = cast.round.id
    for sock in s.values():
        ack(sock, "round:join", round_id=rid)
    for sock in s.values():
        sock.get_received()
    guest = guest_socket(app, cast.round, name="Gerda Geheim")
    joined = ack(guest, "round:join", round_id=rid)
    gerda = joined["me"]["participant_id"]
    assert joined["me"]["guests"] is None
    # The facilitator is told privately that a guest arrived (and is present).
    told = [m["args"][0] for m in s["orga"].get_received() if m["name"] == "round:me"]
    assert told and told[-1]["me"]["guests"] == [
        {"participant_id": gerda, "name": "Gerda Geheim", "present": True}
    ]
    synced = ack(s["orga"], "round:sync", round_id=rid)
    assert synced["me"]["guests"][0]["name"] == "Gerda Geheim"
    # A participant sees the guest counted in every payload, never named.
    ack(guest, "topic:add", round_id=rid, title="Gastthema", anonymous=True)
    anna_sync = ack(s["anna"], "round:sync", round_id=rid)
    assert anna_sync["snapshot"]["presence"]["guests"] == 1
    assert anna_sync["me"]["guests"] is None
    text = everything(s["anna"], anna_sync)
    assert "Gerda" not in text and "Geheim" not in text
    # The guest leaves: facilitators see them as absent; participants still learn no name.
    guest.disconnect()
    told = [m["args"][0] for m in s["orga"].get_received() if m["name"] == "round:me"]
    assert told[-1]["me"]["guests"] == [
        {"participant_id": gerda, "name": "Gerda Geheim", "present": False}
    ]
    assert "Gerda" not in everything(s["ben"], ack(s["ben"], "round:sync", round_id=rid))
    # A new co-facilitator gets the list with their new role.
    ack(
        s["orga"],
        "facilitator:appoint",
        round_id=rid,
        participant_id=cast.ben.id,
        cofacilitator=True,
    )
    told = [m["args"][0] for m in s["ben"].get_received() if m["name"] == "round:me"]
    assert told[-1]["me"]["guests"][0]["name"] == "Gerda Geheim"


def test_facilitator_removes_guest_who_is_told_in_german_source(app, sockets):
    cast, s = sockets
    rid = cast.round.id
    cast.users["orga"].language = "en"  # the notice does not depend on who removed the guest
    db.session.commit()
    ack(s["anna"], "round:join", round_id=rid)
    guest = guest_socket(app, cast.round)
    gerda = ack(guest, "round:join", round_id=rid)["me"]["participant_id"]
    refused = ack(s["anna"], "participant:remove", round_id=rid, participant_id=gerda)
    assert refused["ok"] is False and refused["error"] == "forbidden"
    assert guest.is_connected()
    signed_in = ack(s["orga"], "participant:remove", round_id=rid, participant_id=cast.anna.id)
    assert signed_in["error"] == "forbidden"  # only guests can be removed

    removed = ack(s["orga"], "participant:remove", round_id=rid, participant_id=gerda)
    assert removed["ok"] is True and removed["me"]["guests"] == []
    notices = [m["args"][0] for m in guest.queue if m["name"] == "round:removed"]
    assert notices == [
        {"round_id": rid, "code": "removed", "message": "Sie wurden aus dieser Runde entfernt."}
    ]
    assert not guest.is_connected()
    snap = ack(s["anna"], "round:sync", round_id=rid)["snapshot"]
    assert snap["presence"]["guests"] == 0
    again = ack(s["orga"], "participant:remove", round_id=rid, participant_id=gerda)
    assert again["error"] == "not_found"
    # The removed guest's pass no longer opens the round.
    from tests.support.sockets import live_client

    retry = live_client(app, guest.http)
    assert not retry.is_connected()
