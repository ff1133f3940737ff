"""The group's live room on the namespace `/groups`, with presence switched off: no presence,
typing or read events exist here (core refuses to declare them) and nothing records who is
connected. One event: `group:watch` puts this socket into the group's room, for an active
member only; the room then receives `group:changed` (a random thread id at most) and each
page fetches what its reader may see."""

from __future__ import annotations

from datetime import datetime

from flask_socketio import join_room

from peerlab.core import live
from peerlab.core.live import Int, Str
from peerlab.groups import access
from peerlab.groups.service import anonymous, threads
from peerlab.groups.service.groups import NAMESPACE, room

ROOM_KIND = "groups.group"


def build() -> live.LiveRoom:
    quiet = live.LiveRoom(NAMESPACE, presence=False)

    @quiet.event("group:watch", {"group_id": Int()})
    def watch(actor, data: dict, now: datetime) -> dict:
        group, _me = access.require_member(data["group_id"], actor)
        join_room(room(group.id))
        return {}

    @quiet.event(
        "group:anonymous",
        {"group_id": Int(), "thread_id": Str(max_length=24), "body": Str(max_length=6000)},
    )
    def post_anonymously(actor, data: dict, now: datetime) -> dict:
        """Only the ack (to this socket alone) carries the token; the room hears nothing until
        the boundary."""
        group, me = access.require_member(data["group_id"], actor)
        thread = threads.thread_of(group, data["thread_id"])
        item, token = anonymous.post(group, me, thread, data["body"], now=now)
        return {
            "post_id": item.public_id,
            "token": token,
            "appears_at": item.created_at.isoformat(),
        }

    @quiet.event(
        "group:anonymous_edit",
        {
            "group_id": Int(),
            "post_id": Str(max_length=24),
            "token": Str(max_length=100),
            "body": Str(max_length=6000),
        },
    )
    def edit_anonymous(actor, data: dict, now: datetime) -> dict:
        group, _me = access.require_member(data["group_id"], actor)
        anonymous.edit(group, data["post_id"], data["token"], data["body"], now=now)
        return {}

    @quiet.event(
        "group:anonymous_delete",
        {"group_id": Int(), "post_id": Str(max_length=24), "token": Str(max_length=100)},
    )
    def delete_anonymous(actor, data: dict, now: datetime) -> dict:
        group, _me = access.require_member(data["group_id"], actor)
        anonymous.delete(group, data["post_id"], data["token"], now=now)
        return {}

    return quiet


def init_app(app) -> None:
    from peerlab.core import presence

    presence.without_presence(ROOM_KIND)
    live.register(app, build())
