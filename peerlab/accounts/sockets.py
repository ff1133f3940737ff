"""Who a live socket belongs to, told to the core live layer; and ending a session's sockets."""

from __future__ import annotations

from peerlab.accounts.actors import Actor, current_actor, current_auth_session
from peerlab.core import live


def session_room(auth_session_id: int) -> str:
    return f"auth:{auth_session_id}"


def rooms_of(actor: Actor) -> list[str]:
    """Private room of the person, plus the room of the sign-in session (ended on sign-out)."""
    rooms = [actor.room]
    if actor.kind == "user":
        auth_session = current_auth_session()
        if auth_session is not None:
            rooms.append(session_room(auth_session.id))
    return rooms


def end_session_sockets(auth_session_id: int) -> None:
    """Disconnect every live socket of one sign-in session (sign-out, account deletion)."""
    room = session_room(auth_session_id)
    live.emit_everywhere("session:ended", {}, to=room)
    live.disconnect_room(room)


def init_app(app) -> None:
    live.set_identity(app, current_actor, rooms_of)
