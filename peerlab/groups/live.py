"""The group's live room on the namespace `/groups`, with presence switched off: no presence,
typing or read events exist here (core refuses to declare them) and nothing records who is
connected. One event: `group:watch` puts this socket into the group's room, for an active
member only; the room then receives `group:changed` (a random thread id at most) and each
page fetches what its reader may see."""

from __future__ import annotations

from datetime import datetime

from flask_socketio import join_room

from peerlab.core import live
from peerlab.core.live import Int
from peerlab.groups import access
from peerlab.groups.service.groups import NAMESPACE, room

ROOM_KIND = "groups.group"


def build() -> live.LiveRoom:
    quiet = live.LiveRoom(NAMESPACE, presence=False)

    @quiet.event("group:watch", {"group_id": Int()})
    def watch(actor, data: dict, now: datetime) -> dict:
        group, _me = access.require_member(data["group_id"], actor)
        join_room(room(group.id))
        return {}

    return quiet


def init_app(app) -> None:
    from peerlab.core import presence

    presence.without_presence(ROOM_KIND)
    live.register(app, build())
