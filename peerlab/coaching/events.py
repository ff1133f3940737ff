"""Socket.IO events of a session on the namespace `/coaching` (protocol: docs/coaching.md).
Thin: lock the session (bumps its version), check membership, call the service, queue the
broadcasts (sent after commit by the core live layer). Every refusal is an error ack and
changes nothing (the live layer rolls back)."""

from __future__ import annotations

from datetime import datetime

from flask import request
from flask_socketio import join_room, leave_room

from peerlab.coaching import access, payloads
from peerlab.coaching.models import MAX_CARD, MAX_KEY_QUESTION, MAX_NOTES, MAX_TRY, SPACE_KIND
from peerlab.coaching.service import board, ending
from peerlab.core import agenda, live, presence
from peerlab.core.errors import NotFound
from peerlab.core.live import Bool, Int, Str
from peerlab.extensions import db

NAMESPACE = board.NAMESPACE
SID = {"session_id": Int()}


def enter(actor, data: dict):
    session = db.session.get(board.CoachingSession, data["session_id"])
    if not access.may_see_content(session, actor):
        raise NotFound()
    session = board.lock(session.id)
    return session, access.membership(session, actor)


def broadcast(session, now: datetime) -> tuple[payloads.Board, dict]:
    """The state to the session's room and each member's private state to their sockets.
    Reads the board once (`payloads.read`) for all of them; returns it and the state."""
    view = payloads.read(session)
    state = payloads.snapshot(session, now, view)
    live.queue_emit(
        "session:state",
        state,
        to=ending.room_name(session.id),
        namespace=NAMESPACE,
    )
    for row in view.rows:
        if row.user_id is not None:
            live.queue_emit(
                "session:me",
                {
                    "session_id": session.id,
                    "version": session.version,
                    "me": payloads.me(session, row, view),
                },
                to=f"user:{row.user_id}",
                namespace=NAMESPACE,
            )
    return view, state


def on_agenda_change(run: agenda.Agenda, now: datetime) -> None:
    """core.agenda calls this after every change, expiry included (inside the transaction)."""
    session = db.session.get(board.CoachingSession, run.subject_id)
    if session is not None:
        broadcast(board.lock(session.id), now)


def may_facilitate(session_id: int, actor) -> bool:
    session = db.session.get(board.CoachingSession, session_id)
    row = access.membership(session, actor) if access.may_see_content(session, actor) else None
    return row is not None and row.role == "moderator"


def presence_changed(session_id: int, now: datetime) -> None:
    """A socket went away (or core's sweep dropped a dead process): tell the room."""
    session = db.session.get(board.CoachingSession, session_id)
    if session is not None:
        broadcast(board.lock(session.id), now)


def on_disconnect(sid: str, now: datetime) -> None:
    for session_id in presence.disconnect(SPACE_KIND, sid):
        presence_changed(session_id, now)


def changed(session, me, now: datetime) -> dict:
    view, _state = broadcast(session, now)
    return {"me": payloads.me(session, me, view)}


def register(app) -> None:
    room = live.LiveRoom(NAMESPACE)
    declare(room)
    room.on_disconnect(on_disconnect)
    live.register(app, room)


def declare(room: live.LiveRoom) -> None:
    @room.event("session:join", SID)
    def join(actor, data, now):
        session, me = enter(actor, data)
        presence.join(board.room(session), me.id, request.sid, now=now, namespace=NAMESPACE)
        join_room(ending.room_name(session.id))
        view, state = broadcast(session, now)
        return {"snapshot": state, "me": payloads.me(session, me, view)}

    @room.event("session:sync", SID)
    def sync(actor, data, now):
        session = db.session.get(board.CoachingSession, data["session_id"])
        if not access.may_see_content(session, actor):
            raise NotFound()
        me = access.membership(session, actor)
        view = payloads.read(session)
        return {
            "snapshot": payloads.snapshot(session, now, view),
            "me": payloads.me(session, me, view),
        }

    @room.event("session:leave", SID)
    def leave(actor, data, now):
        session, _me = enter(actor, data)
        presence.leave(board.room(session), request.sid)
        leave_room(ending.room_name(session.id))
        broadcast(session, now)

    @room.event("agenda:start", SID)
    def start(actor, data, now):
        session, me = enter(actor, data)
        board.start(session, me, actor, now)
        return {"me": payloads.me(session, me)}

    @room.event("agenda:advance", {**SID, "expected_index": Int(minimum=0)})
    def advance(actor, data, now):
        session, me = enter(actor, data)
        board.control(session, me, actor, "advance", now, expected_index=data["expected_index"])
        return {"me": payloads.me(session, me)}

    @room.event("agenda:pause", SID)
    def pause(actor, data, now):
        session, me = enter(actor, data)
        board.control(session, me, actor, "pause", now)

    @room.event("agenda:resume", SID)
    def resume(actor, data, now):
        session, me = enter(actor, data)
        board.control(session, me, actor, "resume", now)

    @room.event("agenda:extend", {**SID, "seconds": Int(minimum=30, maximum=1800)})
    def extend(actor, data, now):
        session, me = enter(actor, data)
        board.control(session, me, actor, "extend", now, seconds=data["seconds"])

    @room.event("deputy:set", {**SID, "deputy_id": Int(required=False)})
    def deputy(actor, data, now):
        session, me = enter(actor, data)
        board.name_deputy(session, me, data["deputy_id"])
        return changed(session, me, now)

    @room.event("moderation:take", SID)
    def take(actor, data, now):
        session, me = enter(actor, data)
        board.take_over(session, me)
        return changed(session, me, now)

    # Cards may be anonymous: the live layer must keep no record of who sent which card
    # (an applied-action row would name the sender and the card), so no request ids here.
    @room.event("card:add", {**SID, "text": Str(MAX_CARD), "anonymous": Bool()}, once=False)
    def card_add(actor, data, now):
        session, me = enter(actor, data)
        card, token = board.add_card(
            session, me, data["text"], anonymous=data["anonymous"], now=now
        )
        return {"card_id": card.id, "token": token, **changed(session, me, now)}

    @room.event(
        "card:withdraw",
        {**SID, "card_id": Int(), "token": Str(100, required=False)},
        once=False,
    )
    def card_withdraw(actor, data, now):
        session, me = enter(actor, data)
        board.withdraw_card(session, me, data["card_id"], data["token"], now)
        return changed(session, me, now)

    @room.event("card:mark", {**SID, "card_id": Int(), "marked": Bool(required=True)})
    def card_mark(actor, data, now):
        session, me = enter(actor, data)
        board.mark_card(session, me, data["card_id"], data["marked"])
        return changed(session, me, now)

    @room.event("key:set", {**SID, "text": Str(MAX_KEY_QUESTION)})
    def key_set(actor, data, now):
        session, me = enter(actor, data)
        board.set_key_question(session, me, data["text"])
        return changed(session, me, now)

    @room.event("notes:set", {**SID, "text": Str(MAX_NOTES, required=False, default="")})
    def notes_set(actor, data, now):
        session, me = enter(actor, data)
        board.set_notes(session, me, data["text"])
        return changed(session, me, now)

    @room.event("try:set", {**SID, "text": Str(MAX_TRY, required=False, default="")})
    def try_set(actor, data, now):
        session, me = enter(actor, data)
        board.set_try(session, me, data["text"])
        return {"me": payloads.me(session, me)}  # private: nobody else learns of it

    @room.event("session:end", SID)
    def end(actor, data, now):
        session, me = enter(actor, data)
        board.require(session, me, "facilitate")
        keep = ending.finish(session, now)
        return {"kept": keep is not None}
