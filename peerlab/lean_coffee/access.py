"""The ONE place that decides who may see, join and act in a Lean Coffee round.

Pages, socket events, downloads, calendar feeds, mails and jobs all ask `access_for`. Rules:
- a signed-in user with a (not removed) participant row: invited people, the facilitators and
  people who came by the round's link;
- a guest whose pass is scoped to exactly this round and who has a (not removed) participant row;
- a round that belongs to a confidential group delegates to the group rule registered with
  `register_group_rule` (groups do not exist yet; without a rule such a round is closed to all).
Joining by link (creating the participant row) is decided by `may_join_by_link`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.core.errors import Forbidden, NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import FACILITATING, Participant, Round

GUEST_SCOPE = "lean_coffee.round"

# fn(round, actor) -> bool: may this actor take part in a round of the group round.group_id?
GroupRule = Callable[[Round, Actor], bool]
_group_rule: list[GroupRule] = []


def register_group_rule(rule: GroupRule) -> None:
    """Extension point for confidential groups (issue: groups)."""
    _group_rule[:] = [rule]


@dataclass(frozen=True)
class Access:
    participant: Participant | None

    @property
    def may_view(self) -> bool:
        return self.participant is not None

    @property
    def is_facilitator(self) -> bool:
        return self.participant is not None and self.participant.role in FACILITATING


def find_participant(rnd: Round, actor: Actor) -> Participant | None:
    if actor.kind == "user":
        where = Participant.user_id == actor.id
    else:
        guest = actor.guest
        if guest is None or guest.scope_kind != GUEST_SCOPE or guest.scope_id != rnd.id:
            return None
        where = Participant.guest_id == actor.id
    return db.session.scalar(select(Participant).where(Participant.round_id == rnd.id, where))


def access_for(rnd: Round, actor: Actor | None) -> Access:
    """What `actor` may do in `rnd` (no participant → nothing, not even knowing it exists)."""
    if actor is None:
        return Access(None)
    if rnd.group_id is not None:
        rule = _group_rule[0] if _group_rule else None
        if rule is None or not rule(rnd, actor):
            return Access(None)
    participant = find_participant(rnd, actor)
    if participant is None or participant.removed_at is not None:
        return Access(None)
    return Access(participant)


def require(rnd: Round | None, actor: Actor | None) -> Participant:
    """The actor's participant row or NotFound (the same answer for unknown and forbidden)."""
    if rnd is None:
        raise NotFound()
    access = access_for(rnd, actor)
    if access.participant is None:
        raise NotFound()
    return access.participant


def require_facilitator(participant: Participant) -> None:
    if participant.role not in FACILITATING:
        raise Forbidden()


def link_token(rnd: Round) -> str | None:
    """The guest link's secret part, derived from the app secret; None when revoked/off."""
    if rnd.access != "link" or not rnd.link_nonce:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    msg = f"lean-coffee-link:{rnd.id}:{rnd.link_nonce}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:40]


def may_join_by_link(rnd: Round, token: str) -> bool:
    expected = link_token(rnd)
    if expected is None or not isinstance(token, str) or rnd.group_id is not None:
        return False
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        return False
    return hmac.compare_digest(expected, token)


def author_mark(nonce: str, participant_id: int) -> str:
    """HMAC that lets only the author recognise an anonymous topic as theirs."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(
        key, f"lean-coffee-topic:{nonce}:{participant_id}".encode(), hashlib.sha256
    ).hexdigest()
