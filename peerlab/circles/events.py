"""Socket.IO events of a circle's weekly meeting on the namespace `/circles`.

Thin: every event asks the circle's membership policy first (`service.enter`: active members
only, everyone else "not found"), locks the meeting, calls the service and queues the
broadcast (sent after commit by the core live layer). Protocol: docs/circles.md, "Das Treffen".
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import request

from peerlab.circles import access
from peerlab.circles import meeting_payload as payload
from peerlab.circles.meeting_models import CircleMeeting
from peerlab.circles.models import Circle
from peerlab.circles.service import meeting as service
from peerlab.core import agenda, live, presence
from peerlab.core.errors import NotFound
from peerlab.core.live import Int, Str
from peerlab.core.locking import lock_versioned
from peerlab.extensions import db

log = logging.getLogger(__name__)
NAMESPACE = "/circles"
CID = {"circle_id": Int()}


def broadcast(circle: Circle, meeting: CircleMeeting, now: datetime) -> dict:
    """The snapshot goes to the private room of each ACTIVE member who is connected to the
    meeting (not to a room sockets once joined): whoever leaves the circle gets nothing more,
    even with the page still open."""
    data = payload.snapshot(circle, meeting, now)
    for member in data["members"]:
        if member["present"]:
            to = f"user:{member['user_id']}"
            live.queue_emit("meeting:state", data, to=to, namespace=NAMESPACE)
    return data


def on_agenda_change(found: agenda.Agenda, now: datetime) -> None:
    """Every agenda change (a click or an expiry of the due job) reaches every screen."""
    meeting = lock_versioned(CircleMeeting, found.subject_id)
    service.mark_finished(meeting, found, now)
    broadcast(db.session.get(Circle, meeting.circle_id), meeting, now)


def on_presence_swept(meeting_id: int, now: datetime) -> None:
    """A dead server process took sockets with it: tell the meeting who is still here."""
    meeting = db.session.get(CircleMeeting, meeting_id)
    if meeting is None:
        return
    found = agenda.get(service.KIND, meeting_id)
    if found is not None:
        agenda.lock(found.id)
    meeting = lock_versioned(CircleMeeting, meeting_id)
    broadcast(db.session.get(Circle, meeting.circle_id), meeting, now)


def register(app) -> None:
    room = live.LiveRoom(NAMESPACE)
    declare(room)
    live.register(app, room)


def _me(circle: Circle, actor) -> service.Person:
    for person in service.people(circle):
        if person.user_id == actor.id:
            return person
    raise NotFound()


def declare(room: live.LiveRoom) -> None:
    @room.event("meeting:join", CID)
    def join(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        presence.join(service.room(meeting), actor.id, request.sid, now=now, namespace=NAMESPACE)
        service.add_latecomer(meeting, _me(circle, actor), now=now)
        return {"snapshot": broadcast(circle, meeting, now), "me": {"user_id": actor.id}}

    @room.event("meeting:sync", CID)
    def sync(actor, data, now):
        circle, _row = access.require_member(data["circle_id"], actor)
        meeting = service.find(circle, service.number_now(circle, now))
        if meeting is None:
            raise NotFound()
        return {"snapshot": payload.snapshot(circle, meeting, now), "me": {"user_id": actor.id}}

    @room.event("meeting:leave", CID)
    def leave(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        presence.leave(service.room(meeting), request.sid)
        broadcast(circle, meeting, now)

    @room.event("meeting:roles", {**CID, "facilitator_id": Int(), "timekeeper_id": Int(minimum=0)})
    def roles(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        service.set_roles(circle, meeting, actor, data["facilitator_id"], data["timekeeper_id"])
        broadcast(circle, meeting, now)

    @room.event("meeting:take", CID)
    def take(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        service.take_over(circle, meeting, actor)
        broadcast(circle, meeting, now)

    @room.event(
        "meeting:start",
        {**CID, "total_minutes": Int(maximum=1000), "exercise_minutes": Int(minimum=0)},
    )
    def start(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        service.start(
            circle,
            meeting,
            actor,
            total_minutes=data["total_minutes"],
            exercise_minutes=data["exercise_minutes"],
            now=now,
        )

    @room.event("turn:next", {**CID, "index": Int(minimum=0)})
    def next_turn(actor, data, now):
        _circle, meeting = service.enter(data["circle_id"], actor, now)
        found = service.running_agenda(meeting)
        agenda.advance(found, actor=actor, now=now, expected_index=data["index"])

    @room.event("timer:pause", CID)
    def pause(actor, data, now):
        _circle, meeting = service.enter(data["circle_id"], actor, now)
        agenda.pause(service.running_agenda(meeting), actor=actor, now=now)

    @room.event("timer:resume", CID)
    def resume(actor, data, now):
        _circle, meeting = service.enter(data["circle_id"], actor, now)
        agenda.resume(service.running_agenda(meeting), actor=actor, now=now)

    @room.event("timer:extend", {**CID, "seconds": Int(required=False, default=60, maximum=3600)})
    def extend(actor, data, now):
        _circle, meeting = service.enter(data["circle_id"], actor, now)
        agenda.extend(service.running_agenda(meeting), data["seconds"], actor=actor, now=now)
        return {"seconds": data["seconds"]}

    @room.event("meeting:end", CID)
    def end(actor, data, now):
        _circle, meeting = service.enter(data["circle_id"], actor, now)
        agenda.finish(service.running_agenda(meeting), actor=actor, now=now)

    @room.event(
        "notes:save",
        {
            **CID,
            "text": Str(service.NOTES_MAX, required=False, default=""),
            "version": Int(minimum=0),
        },
    )
    def notes(actor, data, now):
        circle, meeting = service.enter(data["circle_id"], actor, now)
        service.save_notes(meeting, data["text"], data["version"])
        broadcast(circle, meeting, now)
        return {"version": meeting.notes_version}

    @room.on_disconnect
    def on_disconnect(sid: str, now: datetime) -> None:
        for meeting_id in presence.rooms_of_sid(service.KIND, sid):
            try:
                meeting = db.session.get(CircleMeeting, meeting_id)
                presence.leave(presence.Room(service.KIND, meeting_id), sid)
                if meeting is not None:
                    on_presence_swept(meeting_id, now)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("announcing presence in circle meeting %s failed", meeting_id)
        presence.disconnect(service.KIND, sid)
