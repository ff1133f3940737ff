"""Socket.IO events of a round on the namespace `/lean-coffee` (protocol: docs/realtime.md).
Thin: lock the round (bumps the version), check access, call the service, queue the broadcasts
(sent after commit by the core live layer)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import request
from flask_socketio import join_room, leave_room

from peerlab.accounts.actors import Actor
from peerlab.core import live
from peerlab.core.errors import NotFound
from peerlab.core.live import Bool, Int, Str
from peerlab.extensions import db
from peerlab.lean_coffee import access, payloads
from peerlab.lean_coffee.broadcasts import broadcast as broadcast
from peerlab.lean_coffee.broadcasts import queue_emit as queue_emit
from peerlab.lean_coffee.broadcasts import tell as tell
from peerlab.lean_coffee.broadcasts import tell_facilitators as tell_facilitators
from peerlab.lean_coffee.broadcasts import tell_ids as tell_ids
from peerlab.lean_coffee.broadcasts import tell_voter
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import ballot as ballots
from peerlab.lean_coffee.service import claims, discussion, notes, presence, rounds, topics

log = logging.getLogger(__name__)
NAMESPACE = presence.NAMESPACE  # "/lean-coffee"
RID = {"round_id": Int()}
# The tokens a browser holds for its anonymous topics of a group round (service/claims.py).
CLAIMS = {"tokens": Str(claims.MAX_CLAIMS_LENGTH, required=False, default="")}
TOKEN = {"token": Str(100, required=False)}
THUMB = ("up", "side", "down")


def enter(actor: Actor, data: dict) -> tuple[Round, Participant]:
    """Lock the round (version bump) and check access; round and participant in one read."""
    return rounds.lock_as(data["round_id"], actor)


def facilitate(actor: Actor, data: dict) -> tuple[Round, Participant]:
    rnd, me = enter(actor, data)
    access.require_facilitator(me)
    return rnd, me


def register(app) -> None:
    """Declare the round's events on Lean Coffee's namespace (from init_app)."""
    room = live.LiveRoom(NAMESPACE)
    declare(room)
    live.register(app, room)


def declare(room: live.LiveRoom) -> None:
    @room.event("round:join", {**RID, **CLAIMS}, once=False)
    def join(actor, data, now):
        held = claims.parse(data["tokens"])
        rnd, me = enter(actor, data)
        fresh = presence.connect(rnd, me, request.sid, now=now)
        join_room(rnd.room)
        roster = presence.roster(rnd)  # read once for every payload of this join
        queue_emit("presence:changed", payloads.presence_changed(rnd, roster), to=rnd.room)
        if fresh and me.is_guest:
            tell_facilitators(rnd, roster)
        return {
            "snapshot": payloads.snapshot(rnd, now, roster),
            "me": claims.with_claims(
                payloads.me(rnd, me, roster), claims.claimed_topic_ids(rnd, held, now=now)
            ),
        }

    @room.event("round:sync", {**RID, **CLAIMS}, once=False)
    def sync(actor, data, now):
        held = claims.parse(data["tokens"])
        rnd = db.session.get(Round, data["round_id"])
        me = access.require(rnd, actor)
        mine = claims.claimed_topic_ids(rnd, held, now=now)
        return {
            "snapshot": payloads.snapshot(rnd, now),
            "me": claims.with_claims(payloads.me(rnd, me), mine),
        }

    @room.event("round:leave", RID, once=False)
    def leave(actor, data, now):
        rnd, me = enter(actor, data)
        presence.disconnect(request.sid, rnd.id)
        leave_room(rnd.room)
        queue_emit("presence:changed", payloads.presence_changed(rnd), to=rnd.room)
        if me.is_guest:
            tell_facilitators(rnd)

    @room.event(
        "topic:add",
        {
            **RID,
            "title": Str(120),
            "detail": Str(280, required=False, default=""),
            "anonymous": Bool(),
        },
    )
    def topic_add(actor, data, now):
        rnd, me = enter(actor, data)
        topic, token = topics.add_topic_with_token(
            rnd, me, data["title"], data["detail"], anonymous=data["anonymous"], now=now
        )
        broadcast(rnd, now)
        answer = {"topic_id": topic.id, "me": tell(rnd, me)}
        if token is not None:  # only this browser ever gets it (the ack, not a broadcast)
            answer["token"] = token
            answer["token_seconds"] = int(topics.UNLINKABLE_WINDOW.total_seconds())
        return answer

    @room.event(
        "topic:edit",
        {
            **RID,
            "topic_id": Int(),
            "title": Str(120),
            "detail": Str(280, required=False, default=""),
            **TOKEN,
        },
    )
    def topic_edit(actor, data, now):
        rnd, me = enter(actor, data)
        topics.edit_topic(
            rnd, me, data["topic_id"], data["title"], data["detail"], token=data["token"], now=now
        )
        broadcast(rnd, now)

    @room.event("topic:withdraw", {**RID, "topic_id": Int(), **TOKEN})
    def topic_withdraw(actor, data, now):
        rnd, me = enter(actor, data)
        topics.withdraw_topic(rnd, me, data["topic_id"], token=data["token"], now=now)
        broadcast(rnd, now)
        return {"me": tell(rnd, me)}

    @room.event("topic:remove", {**RID, "topic_id": Int()})
    def topic_remove(actor, data, now):
        rnd, _me = facilitate(actor, data)
        refunded = topics.remove_topic(rnd, data["topic_id"])
        roster = presence.roster(rnd)  # one read for the room's state and everyone's `me`
        broadcast(rnd, now, roster)
        tell_ids(rnd, refunded, roster)

    @room.event("topic:merge", {**RID, "topic_id": Int(), "into_topic_id": Int()})
    def topic_merge(actor, data, now):
        rnd, _me = facilitate(actor, data)
        affected = topics.merge_topics(rnd, data["topic_id"], data["into_topic_id"])
        roster = presence.roster(rnd)  # one read for the room's state and everyone's `me`
        broadcast(rnd, now, roster)
        tell_ids(rnd, affected, roster)

    @room.event(
        "topic:reorder", {**RID, "topic_id": Int(), "direction": Str(10, choices=("up", "down"))}
    )
    def topic_reorder(actor, data, now):
        rnd, _me = facilitate(actor, data)
        topics.reorder_tie(rnd, data["topic_id"], data["direction"])
        broadcast(rnd, now)

    @room.event("topic:skip", {**RID, "topic_id": Int()})
    def topic_skip(actor, data, now):
        rnd, _me = facilitate(actor, data)
        topics.skip_topic(rnd, data["topic_id"], now=now)
        broadcast(rnd, now)

    @room.event("topic:next", RID)
    def topic_next(actor, data, now):
        rnd, _me = facilitate(actor, data)
        discussion.next_topic(rnd, now=now)
        broadcast(rnd, now)

    @room.event("vote:cast", {**RID, "topic_id": Int()})
    def vote_cast(actor, data, now):
        ballot = ballots.open_ballot(actor, data["round_id"], data["topic_id"], "open")
        ballots.cast(ballot)
        return {"me": tell_voter(ballot)}

    @room.event("vote:retract", {**RID, "topic_id": Int()})
    def vote_retract(actor, data, now):
        ballot = ballots.open_ballot(actor, data["round_id"], data["topic_id"], "open")
        ballots.retract(ballot)
        return {"me": tell_voter(ballot)}

    @room.event(
        "phase:advance", {**RID, "to": Str(10, choices=("vote", "discuss", "wrapup", "closed"))}
    )
    def phase_advance(actor, data, now):
        rnd, _me = facilitate(actor, data)
        rounds.advance_phase(rnd, data["to"], now=now)
        broadcast(rnd, now)

    @room.event("timer:pause", RID)
    def timer_pause(actor, data, now):
        rnd, _me = facilitate(actor, data)
        discussion.pause(rnd, now=now)
        broadcast(rnd, now)

    @room.event("timer:resume", RID)
    def timer_resume(actor, data, now):
        rnd, _me = facilitate(actor, data)
        discussion.resume(rnd, now=now)
        broadcast(rnd, now)

    @room.event("timer:extend", {**RID, "seconds": Int(required=False, maximum=3600)})
    def timer_extend(actor, data, now):
        rnd, _me = facilitate(actor, data)
        added = discussion.extend(rnd, data["seconds"], now=now)
        broadcast(rnd, now)
        return {"seconds": added}

    @room.event("roman:thumb", {**RID, "value": Str(10, choices=THUMB)})
    def roman_thumb(actor, data, now):
        rnd, me = enter(actor, data)
        discussion.give_thumb(rnd, me, data["value"], now=now)
        broadcast(rnd, now)
        return {"me": tell(rnd, me)}

    @room.event("roman:decide", {**RID, "decision": Str(10, choices=("extend", "next"))})
    def roman_decide(actor, data, now):
        rnd, _me = facilitate(actor, data)
        discussion.decide(rnd, data["decision"], now=now)
        broadcast(rnd, now)

    @room.event("takeaway:add", {**RID, "topic_id": Int(), "text": Str(280)})
    def takeaway_add(actor, data, now):
        rnd, me = enter(actor, data)
        item = notes.add_takeaway(rnd, me, data["topic_id"], data["text"], now=now)
        broadcast(rnd, now)
        return {"takeaway_id": item.id}

    @room.event("takeaway:delete", {**RID, "takeaway_id": Int()})
    def takeaway_delete(actor, data, now):
        rnd, me = enter(actor, data)
        notes.delete_takeaway(rnd, me, data["takeaway_id"])
        broadcast(rnd, now)

    @room.event(
        "action:add",
        {
            **RID,
            "topic_id": Int(),
            "what": Str(200),
            "owner_participant_id": Int(required=False),
            "owner_name": Str(60, required=False, default=""),
            "due_on": Str(10, required=False, default=""),
        },
    )
    def action_add(actor, data, now):
        rnd, me = enter(actor, data)
        item = notes.add_action(
            rnd,
            me,
            data["topic_id"],
            data["what"],
            owner_participant_id=data["owner_participant_id"],
            owner_name=data["owner_name"],
            due_on=notes.parse_due(data["due_on"]),
            now=now,
        )
        broadcast(rnd, now)
        return {"action_id": item.id}

    @room.event("action:delete", {**RID, "action_id": Int()})
    def action_delete(actor, data, now):
        rnd, me = enter(actor, data)
        notes.delete_action(rnd, me, data["action_id"])
        broadcast(rnd, now)

    @room.event("closing:set", {**RID, "text": Str(200, required=False, default="")})
    def closing_set(actor, data, now):
        rnd, me = enter(actor, data)
        notes.set_closing(rnd, me, data["text"])
        broadcast(rnd, now)
        return {"me": tell(rnd, me)}

    @room.event("participant:remove", {**RID, "participant_id": Int()})
    def participant_remove(actor, data, now):
        rnd, me = facilitate(actor, data)
        target = rounds.remove_guest(rnd, data["participant_id"], now=now)
        private = payloads.private_room(target)
        queue_emit(
            "round:removed",
            {"round_id": rnd.id, "code": "removed", "message": removed_message()},
            to=private,
        )
        broadcast(rnd, now)  # holds the new presence too: one broadcast per change
        live.queue_disconnect_room(private)  # after the commit that revoked the pass
        return {"me": tell_facilitators(rnd)[me.id]}

    @room.event("link:revoke", RID)
    def link_revoke(actor, data, now):
        rnd, me = facilitate(actor, data)
        rounds.renew_link(rnd, revoke=True)
        broadcast(rnd, now)
        return {"me": tell(rnd, me)}

    @room.event("link:renew", RID)
    def link_renew(actor, data, now):
        rnd, me = facilitate(actor, data)
        rounds.renew_link(rnd, revoke=False)
        broadcast(rnd, now)
        return {"me": tell(rnd, me)}

    @room.event("facilitator:handover", {**RID, "participant_id": Int()})
    def handover(actor, data, now):
        rnd, me = facilitate(actor, data)
        target = rounds.handover(rnd, me, data["participant_id"])
        broadcast(rnd, now)
        tell(rnd, target)
        return {"me": tell(rnd, me)}

    @room.event(
        "facilitator:appoint",
        {**RID, "participant_id": Int(), "cofacilitator": Bool(required=True)},
    )
    def appoint(actor, data, now):
        rnd, me = facilitate(actor, data)
        target = rounds.appoint(
            rnd, me, data["participant_id"], cofacilitator=data["cofacilitator"]
        )
        broadcast(rnd, now)
        tell(rnd, target)

    @room.on_disconnect
    def on_disconnect(sid: str, now: datetime) -> None:
        # Idempotent: a second run finds no presence rows left. Each round's row goes in the
        # versioned change that announces it (presence is versioned with the round, §6).
        for round_id in presence.rounds_of_sid(sid):
            announce_presence(round_id, now, leaving_sid=sid)
        presence.disconnect(sid)  # rows of rounds that are gone meanwhile
        db.session.commit()


def announce_presence(round_id: int, now: datetime, *, leaving_sid: str | None = None) -> None:
    """A presence change of the round as one versioned change (commits): bump, drop the row of
    `leaving_sid` (a socket that disconnected), close the Roman vote if every present person
    has now given a thumb, broadcast the presence. If announcing fails, the change still takes
    a version of its own (without a broadcast): a client then sees a gap and resyncs, and no
    snapshot can show the new presence under the version it had before."""
    try:
        _announce(round_id, now, leaving_sid)
    except NotFound:  # the round is gone: nobody to tell
        db.session.rollback()
    except Exception:
        db.session.rollback()
        log.exception("announcing presence in round %s failed", round_id)
        rounds.lock(round_id)
        if leaving_sid is not None:
            presence.disconnect(leaving_sid, round_id)
        db.session.commit()


def _announce(round_id: int, now: datetime, leaving_sid: str | None) -> None:
    rnd = rounds.lock(round_id)
    if leaving_sid is not None:
        presence.disconnect(leaving_sid, round_id)
    vote = discussion.open_roman(rnd)
    closed = False
    roster = presence.roster(rnd)
    if vote is not None and roster.count and discussion.thumbs_given(vote) >= roster.count:
        closed = discussion.close_roman(rnd, vote, now=now)
    if closed:  # one broadcast per change: the full state already holds the presence
        broadcast(rnd, now, roster)
    else:
        queue_emit("presence:changed", payloads.presence_changed(rnd, roster), to=rnd.room)
    if any(p.is_guest for p in roster.active):  # facilitators see which guests are here
        tell_facilitators(rnd, roster)
    db.session.commit()


def removed_message() -> str:
    """The German source, whoever removed the guest: the guest's board shows its own text for
    the notice's `code` in the guest's language."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with force_locale("de"):
        return _("Sie wurden aus dieser Runde entfernt.")
