"""What a round's socket events send after commit (the core live layer sends it once the
transaction committed): the room's state, the progress of a vote, and each person's own state
to their private room. The one place that queues Lean Coffee's broadcasts."""

from __future__ import annotations

from datetime import datetime

from peerlab.core import live
from peerlab.lean_coffee import payloads
from peerlab.lean_coffee.models import FACILITATING, Participant, Round
from peerlab.lean_coffee.service import ballot as ballots
from peerlab.lean_coffee.service import presence

NAMESPACE = presence.NAMESPACE  # "/lean-coffee"


def queue_emit(event_name: str, data: dict, *, to: str) -> None:
    """Broadcast on Lean Coffee's namespace once the current transaction has committed."""
    live.queue_emit(event_name, data, to=to, namespace=NAMESPACE)


def broadcast(rnd: Round, now: datetime, roster: presence.Roster | None = None) -> None:
    queue_emit("round:state", payloads.snapshot(rnd, now, roster), to=rnd.room)


def tell(rnd: Round, participant: Participant) -> dict:
    """Queue the private state for all of this person's sockets; returns it for the ack."""
    data = payloads.private(rnd, participant)
    queue_emit("round:me", data, to=payloads.private_room(participant))
    return data["me"]


def tell_voter(ballot: ballots.Ballot) -> dict:
    """After a vote or a retraction: the room's progress and the voter's own state (returned
    for the ack), both read in one statement."""
    rnd = ballot.round
    progress, me = payloads.after_vote(ballot)
    queue_emit("vote:progress", progress, to=rnd.room)
    data = {"round_id": rnd.id, "version": rnd.version, "me": me}
    queue_emit("round:me", data, to=payloads.private_room(ballot.voter))
    return me


def tell_ids(
    rnd: Round, participant_ids: list[int], roster: presence.Roster | None = None
) -> dict[int, dict]:
    """Queue the private state of several people (after a merge: every affected voter) in a
    fixed number of queries, however many they are. Returns participant id -> `me`."""
    roster = roster or presence.roster(rnd)
    members = roster.by_id()
    states = payloads.private_states(rnd, participant_ids, roster)
    for pid, data in states.items():
        queue_emit(
            "round:me",
            {"round_id": rnd.id, "version": rnd.version, "me": data},
            to=payloads.private_room(members[pid]),
        )
    return states


def tell_facilitators(rnd: Round, roster: presence.Roster | None = None) -> dict[int, dict]:
    """Their private state holds the guests' names and presence: resend it to each of them
    after a guest joined, left or was removed. Returns participant id -> `me`."""
    roster = roster or presence.roster(rnd)
    ids = [p.id for p in roster.active if p.role in FACILITATING]
    return tell_ids(rnd, ids, roster) if ids else {}
