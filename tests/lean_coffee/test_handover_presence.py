"""The moderation goes only to someone who is on the board now (issue 8): a hand-over to a
person who is not connected is refused by the server, with a code and a readable message."""

from __future__ import annotations

import pytest

from peerlab.core.errors import Conflict
from peerlab.extensions import db
from peerlab.lean_coffee.service import presence, rounds


def test_handover_to_someone_not_connected_is_refused_and_changes_nothing(make_round, now):
    cast = make_round()
    with pytest.raises(Conflict) as refused:
        rounds.handover(cast.round, cast.fac, cast.anna.id)
    assert refused.value.code == "not_present"
    assert "Anna Amsel ist gerade nicht mit der Runde verbunden" in refused.value.message
    assert (cast.fac.role, cast.anna.role) == ("facilitator", "participant")

    presence.connect(cast.round, cast.anna, "sid-anna", now=now)
    rounds.handover(cast.round, cast.fac, cast.anna.id)
    assert (cast.fac.role, cast.anna.role) == ("cofacilitator", "facilitator")


def test_handover_after_the_person_left_is_refused(make_round, now):
    cast = make_round()
    presence.connect(cast.round, cast.ben, "sid-ben", now=now)
    presence.disconnect("sid-ben", cast.round.id)
    with pytest.raises(Conflict) as refused:
        rounds.handover(cast.round, cast.fac, cast.ben.id)
    assert refused.value.code == "not_present"


def test_socket_refuses_handover_to_an_absent_person_in_the_senders_language(app, sockets):
    cast, s = sockets
    rid = cast.round.id
    cast.users["orga"].language = "en"
    db.session.commit()
    s["orga"].emit("round:join", {"round_id": rid}, callback=True)
    before = s["orga"].emit("round:sync", {"round_id": rid}, callback=True)["snapshot"]["version"]

    ack = s["orga"].emit(
        "facilitator:handover", {"round_id": rid, "participant_id": cast.ben.id}, callback=True
    )
    assert ack["ok"] is False and ack["error"] == "not_present"
    assert ack["message"] == (
        "Ben Berg is not connected to the round right now. Hand the facilitation over to "
        "someone who has the round open now."
    )
    after = s["orga"].emit("round:sync", {"round_id": rid}, callback=True)
    assert after["snapshot"]["version"] == before  # nothing changed
    assert after["me"]["role"] == "facilitator"

    # Once Ben has the board open, the hand-over works; German readers get German.
    s["ben"].emit("round:join", {"round_id": rid}, callback=True)
    ack = s["orga"].emit(
        "facilitator:handover", {"round_id": rid, "participant_id": cast.ben.id}, callback=True
    )
    assert ack["ok"] is True and ack["me"]["role"] == "cofacilitator"
    ack = s["ben"].emit(
        "facilitator:handover", {"round_id": rid, "participant_id": cast.anna.id}, callback=True
    )
    assert ack["error"] == "not_present"
    assert ack["message"].startswith("Anna Amsel ist gerade nicht mit der Runde verbunden.")
