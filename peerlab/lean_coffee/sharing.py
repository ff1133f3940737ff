"""Which link a facilitator shares for a round ("Link teilen" on the board).

A round open by link: the guest link (anyone who has it may join, also without an account),
while it is active. A round for invited people: the round's own address, which opens only for
those invited. A closed or cancelled round shares nothing. Who may see the box is decided by the
caller (facilitators only: the guest link is theirs to renew or revoke).
"""

from __future__ import annotations

from peerlab.core.urls import absolute
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import Round


def share_url(rnd: Round) -> str | None:
    if rnd.group_id is not None:
        return None  # a group's round is opened from the group page, by its members only
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        return None  # nothing left to join, whichever way the round is open
    if rnd.access == "link":
        token = access.link_token(rnd)
        if token is None:
            return None
        return absolute("lean_coffee.join", round_id=rnd.id, token=token)
    return absolute("lean_coffee.show_round", round_id=rnd.id)
