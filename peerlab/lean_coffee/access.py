"""The ONE place that decides who may see, join and act in a Lean Coffee round.

The rule is written once, in SQL, and registered as the round's space policy
(`peerlab.core.spaces`, kind "lean_coffee.round"): pages, socket events, lists, the dashboard,
calendar feeds, mails and jobs all go through it. Who belongs to a round is its memberships
(`core.spaces.Membership`; a `Participant` is one, with Lean Coffee's own columns added).
A round is visible to
- a signed-in user with a membership in it that is not removed (invited or active): invited
  people, the facilitators and people who came by the round's link;
- a guest whose pass is scoped to exactly this round and who has such a membership in it;
- and, if the round belongs to a confidential group, only when the group rule registered with
  `register_group_rule` also says so (the groups feature registers it, with `GroupHooks` for
  the names and rules of the group; without a rule such a round is closed to all).
The first two are core's membership rule (`spaces.MembershipPolicy`); the group rule is the
round's own. The round's access mode ("invited" | "link") decides who may *join*
(`may_join_by_link`); people who joined by the link stay until a facilitator removes them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Integer, and_, bindparam, false, or_, select

from peerlab.accounts.actors import Actor
from peerlab.core import spaces
from peerlab.core.errors import Forbidden, NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import FACILITATING, SPACE_KIND, Participant, Round

GUEST_SCOPE = SPACE_KIND
# A removed participant sees the round no more; nobody leaves a round in any other way.
VISIBLE_STATUSES = ("invited", "active")

# fn(actor) -> SQL condition over Round: may this actor take part in rounds of Round.group_id?
# Written in SQL so that lists (visible) and single rounds (can_view) share it.
GroupRule = Callable[[Actor], ColumnElement[bool]]


@dataclass(frozen=True)
class GroupHooks:
    """What a round of a confidential group asks its group (registered by the groups feature).

    `names(rnd)`: user id -> the identity each active member shows in the round's group (real
    name or group pseudonym); anyone missing is no member any more. `allows_anonymous(rnd)`:
    the group allows anonymous posts now. `page_url(rnd)`: the absolute link to the group page
    (calendar entries lead there)."""

    names: Callable[[Round], dict[int, str]]
    allows_anonymous: Callable[[Round], bool]
    page_url: Callable[[Round], str]


@dataclass(frozen=True)
class _GroupRegistration:
    rule: GroupRule
    hooks: GroupHooks | None
    bindable: bool  # the rule reads nothing of the actor but kind, id and guest scope


_registered: list[_GroupRegistration] = []  # none or one


def register_group_rule(
    rule: GroupRule, hooks: GroupHooks | None = None, *, bindable: bool = False
) -> None:
    """Extension point for confidential groups (registered by peerlab.groups). `bindable`: the
    rule's SQL depends on nothing about the actor but `kind`, `id` and the guest pass's scope,
    so it can be built once with the ids as bound parameters and serve every actor."""
    _registered[:] = [_GroupRegistration(rule, hooks, bindable)]


def unregister_group_rule() -> None:
    _registered.clear()


def _group_rule() -> GroupRule | None:
    return _registered[0].rule if _registered else None


def group_hooks() -> GroupHooks | None:
    return _registered[0].hooks if _registered else None


def shown_name(participant: Participant, names: dict[int, str] | None) -> str:
    """The participant's name as the round shows it: in a group's round their identity in the
    group ("Ehemaliges Mitglied" once they are no member), elsewhere their plain name."""
    if names is None:
        return participant.name
    found = names.get(participant.user_id) if participant.user_id is not None else None
    return found or _("Ehemaliges Mitglied")


def group_names(rnd: Round) -> dict[int, str] | None:
    """For a group's round: user id -> identity in the group (None for other rounds)."""
    hooks = group_hooks()
    if rnd.group_id is None:
        return None
    return hooks.names(rnd) if hooks is not None else {}


@dataclass(frozen=True)
class Access:
    participant: Participant | None

    @property
    def may_view(self) -> bool:
        return self.participant is not None

    @property
    def is_facilitator(self) -> bool:
        return self.participant is not None and self.participant.role in FACILITATING


def _group_ok(actor: Actor) -> ColumnElement[bool]:
    rule = _group_rule()
    if rule is None:
        return Round.group_id.is_(None)
    return or_(Round.group_id.is_(None), rule(actor))


@dataclass(frozen=True)
class RoundPolicy(spaces.MembershipPolicy):
    """The space policy of Lean Coffee rounds (registered in init_app): core's membership rule
    (not removed), narrowed by the round's group rule."""

    kind: str = SPACE_KIND
    model: Any = Round
    statuses: tuple[str, ...] = VISIBLE_STATUSES

    def condition(self, actor: Actor | None) -> ColumnElement[bool]:
        if actor is None:
            return false()
        return and_(super().condition(actor), _group_ok(actor))


def participant_clause(actor: Actor | None) -> ColumnElement[bool] | None:
    """SQL over `Participant` (of the `Round` in the same statement): the row is the actor's
    and the policy lets them in; None when the actor can be in no round. The one rule behind
    `find_participant` and the vote's single read (service/ballot.py)."""
    me = spaces.is_person(Participant, SPACE_KIND, actor)
    if me is None:
        return None
    return and_(Participant.round_id == Round.id, me, RoundPolicy().condition(actor))


@dataclass(frozen=True)
class _BoundPass:
    scope_kind: str
    scope_id: Any


@dataclass(frozen=True)
class _BoundActor:
    """An actor whose ids are bound parameters: the same clause serves every actor of a kind."""

    kind: str
    role: str
    id: Any
    guest: _BoundPass | None = None


# (actor kind, account role, scope kind of a guest pass, the group rule it was built with)
Shape = tuple[str, str, str | None, GroupRule | None]


def bound_actor(actor: Actor | None) -> tuple[Shape | None, dict[str, Any]]:
    """The actor's shape and ids for `bound_participant_clause` (b_actor_id, b_actor_scope);
    shape None when a group rule is registered that is not bindable (its SQL may depend on
    anything about the actor): then the caller uses `participant_clause(actor)`, built anew.
    The rule is part of the shape, so a clause built under one rule never serves another."""
    if actor is None or (_registered and not _registered[0].bindable):
        return None, {}
    guest = getattr(actor, "guest", None)
    params = {"b_actor_id": actor.id}
    if guest is not None:
        params["b_actor_scope"] = guest.scope_id
    rule = _group_rule()
    return (actor.kind, actor.role, guest.scope_kind if guest is not None else None, rule), params


@cache
def bound_participant_clause(shape: Shape) -> ColumnElement[bool] | None:
    """`participant_clause` for every actor of one shape, built once, the ids bound."""
    kind, role, scope_kind, rule = shape
    if rule is not _group_rule():
        raise RuntimeError("the group rule changed between bound_actor and its clause")
    guest = None
    if scope_kind is not None:
        guest = _BoundPass(scope_kind, bindparam("b_actor_scope", type_=Integer))
    return participant_clause(
        _BoundActor(kind, role, bindparam("b_actor_id", type_=Integer), guest)  # type: ignore[arg-type]
    )


def find_participant(rnd: Round, actor: Actor | None) -> Participant | None:
    """The actor's participant row if the policy lets them in (one query), else None."""
    clause = participant_clause(actor)
    if clause is None:
        return None
    return db.session.scalar(
        select(Participant)
        .join(Round, Round.id == Participant.round_id)
        .where(Participant.round_id == rnd.id, clause)
    )


def access_for(rnd: Round, actor: Actor | None) -> Access:
    """What `actor` may do in `rnd` (no participant → nothing, not even knowing it exists)."""
    return Access(find_participant(rnd, actor))


def require(rnd: Round | None, actor: Actor | None) -> Participant:
    """The actor's participant row or NotFound (the same answer for unknown and forbidden)."""
    if rnd is None:
        raise NotFound()
    access = access_for(rnd, actor)
    if access.participant is None:
        raise NotFound()
    return access.participant


def may_delete(rnd: Round, actor: Actor | None) -> bool:
    """Deleting a round: its creator or an admin, signed in and let in by the policy above
    (a confidential round stays closed to admins who are not in it, and a creator who was
    removed or left its group cannot delete it either)."""
    if actor is None or actor.kind != "user" or actor.user is None or not actor.user.is_active:
        return False
    if actor.id != rnd.created_by_id and actor.user.role != "admin":
        return False
    return find_participant(rnd, actor) is not None


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
