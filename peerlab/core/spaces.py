"""Spaces and membership: who belongs to which round, circle, group, session, series, programme.

A *space* is anything people belong to, named by kind and id ("lean_coffee.round", 42). Each
kind has exactly one policy, registered by its feature in `init_app`. A policy writes its rule
once, as an SQL condition over the space's table, and offers it in two forms:

- `visible(stmt, actor)` adds the rule as WHERE to a SELECT of the space's rows, for lists,
  feeds, mails and jobs (no Python filtering afterwards: totals and paging stay correct);
- `can_view(space, actor)` runs the same condition for one space (pages, socket joins,
  downloads).

Callers answer "not found" for hidden and missing alike (`require_visible`).

`Membership` is the ONE record of who belongs to what: one row per person and space with role,
status (invited, active, left, removed), joined and left times and the name the person shows in
that space. `MembershipPolicy` is the ready-made policy over it; `member_condition` is its rule
for policies that add their own conditions. A format whose members carry more than that keeps
the rest in a table of its own, joined to `memberships` by id: a joined-table subclass of
`Membership` whose polymorphic identity is its space kind, listed in `DETAIL_KINDS` (Lean
Coffee's `Participant` holds votes used, the invitation mark and the closing sentence there).
Rows of every other kind load as plain `Membership`.

core knows no feature: an actor is anything with `kind` ("user" | "guest"), `id` and `role`;
anonymous visitors are `None`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Integer,
    Select,
    String,
    UniqueConstraint,
    and_,
    case,
    exists,
    false,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from peerlab.core import registry
from peerlab.core.errors import NotFound
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

STATUSES = ("invited", "active", "left", "removed")

# Space kinds whose memberships have a detail table (a joined subclass of Membership with the
# kind as its polymorphic identity). core names the kinds only, never the features' classes;
# a subclass for a kind missing here is refused when its class is defined.
DETAIL_KINDS: tuple[str, ...] = ("lean_coffee.round",)
PLAIN = "membership"  # the polymorphic identity of a membership without a detail table


class SpaceActor(Protocol):
    kind: str  # "user" | "guest"
    id: int

    @property
    def role(self) -> str: ...  # "admin" | "organizer" | "member" | "guest"


class Membership(db.Model):
    """One person (a user or a guest with a pass) in one space."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("space_kind", "space_id", "user_id"),
        UniqueConstraint("space_kind", "space_id", "guest_id"),
        # exactly one of the two: a membership always names one person
        CheckConstraint("(user_id IS NULL) <> (guest_id IS NULL)", name="one_person"),
        CheckConstraint("status IN ('invited', 'active', 'left', 'removed')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_kind: Mapped[str] = mapped_column(String(40))
    space_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("guest_passes.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(10), default="invited")
    # The name this person shows in this space (a pseudonym in a confidential group, a guest's
    # chosen name); empty means "the account's name".
    display_name: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __mapper_args__ = {
        # The kind names the detail table; a kind without one loads as a plain Membership.
        "polymorphic_on": case((space_kind.in_(DETAIL_KINDS), space_kind), else_=literal(PLAIN)),
        "polymorphic_identity": PLAIN,
    }

    def __init_subclass__(cls, **kwargs) -> None:
        identity = cls.__dict__.get("__mapper_args__", {}).get("polymorphic_identity")
        if identity not in DETAIL_KINDS:
            raise TypeError(
                f"{cls.__name__}: a Membership subclass needs a polymorphic_identity listed "
                f"in core.spaces.DETAIL_KINDS (got {identity!r})"
            )
        super().__init_subclass__(**kwargs)

    @property
    def is_guest(self) -> bool:
        return self.guest_id is not None


@runtime_checkable
class SpacePolicy(Protocol):
    """Who may see the spaces of one kind. `condition` is the rule, written once, in SQL."""

    kind: str
    model: Any  # the mapped class whose rows are the spaces (its `id` is the space id)

    def condition(self, actor: SpaceActor | None) -> ColumnElement[bool]: ...


# --- registry -------------------------------------------------------------------------------


def register(policy: SpacePolicy) -> None:
    """Make a kind of space known to the app being built (features call this in init_app);
    each app holds its own policies, and the same kind twice in one app is an error."""
    if not getattr(policy, "kind", ""):
        raise ValueError("a space policy needs a kind")
    registry.current().add("space_policies", policy.kind, policy)


def policy(kind: str) -> SpacePolicy:
    found = registry.current().get("space_policies", kind)
    if found is None:
        raise LookupError(f"no space policy for {kind!r}")
    return found


def kinds() -> list[str]:
    return sorted(registry.current().items("space_policies"))


# --- the two forms of one rule --------------------------------------------------------------


def visible(kind: str, stmt: Select, actor: SpaceActor | None) -> Select:
    """`stmt` (a SELECT over the kind's table) restricted to the spaces `actor` may see."""
    return stmt.where(policy(kind).condition(actor))


def can_view(kind: str, space: Any, actor: SpaceActor | None) -> bool:
    """May `actor` see this one space (a row of the kind's table, or its id)?"""
    if space is None:
        return False
    rule = policy(kind)
    space_id = space if isinstance(space, int) else space.id
    found = db.session.scalar(
        select(rule.model.id).where(rule.model.id == space_id, rule.condition(actor))
    )
    return found is not None


def require_visible(kind: str, space: Any, actor: SpaceActor | None) -> None:
    """NotFound unless `actor` may see `space`: the same answer for hidden and missing."""
    if not can_view(kind, space, actor):
        raise NotFound()


class PolicyForms:
    """Mixin: a policy's two forms, from its `condition` (so a feature holding its policy can
    ask it directly: `policy.visible(stmt, actor)`, `policy.can_view(space, actor)`)."""

    kind: str

    def visible(self, stmt: Select, actor: SpaceActor | None) -> Select:
        return visible(self.kind, stmt, actor)

    def can_view(self, space: Any, actor: SpaceActor | None) -> bool:
        return can_view(self.kind, space, actor)


# --- the generic membership policy ----------------------------------------------------------


def member_condition(
    kind: str,
    space_id: ColumnElement[int],
    actor: SpaceActor | None,
    *,
    statuses: tuple[str, ...] = ("active",),
) -> ColumnElement[bool]:
    """SQL: `actor` has a membership in space (`kind`, `space_id`) with one of `statuses`.

    A guest counts only in the one space its pass was issued for (`actor.guest.scope_*`),
    so a pass for one round never opens another space even if a row says otherwise.
    The subquery reads an alias of the table: a caller's own join of memberships (say, the
    owner of an item) is never taken for this subquery's row."""
    row = _member_row()
    who = is_person(row, kind, actor)
    if who is None:
        return false()
    return exists(
        select(row.id)
        .where(
            row.space_kind == kind,
            row.space_id == space_id,
            row.status.in_(statuses),
            who,
        )
        # The alias is shared by every call (a fresh one per call copied all of the table's
        # columns each time, bench/cpu_per_vote.py): never correlate it to an enclosing use.
        .correlate_except(row)
    )


@cache
def _member_row() -> Any:
    """The membership alias of `member_condition`'s subquery, made once."""
    return aliased(Membership, name="member_row")


def is_person(row: Any, kind: str, actor: SpaceActor | None) -> ColumnElement[bool] | None:
    """SQL: membership `row` (Membership, a subclass or an alias) names `actor`; None when the
    actor can have no membership in spaces of `kind` (anonymous, or a guest whose pass is for
    another kind). A guest's row counts only in the space its pass was issued for."""
    if actor is None:
        return None
    if actor.kind == "user":
        return row.user_id == actor.id
    if actor.kind == "guest":
        guest = getattr(actor, "guest", None)
        if guest is None or guest.scope_kind != kind:
            return None
        return and_(row.guest_id == actor.id, row.space_id == guest.scope_id)
    return None


@dataclass(frozen=True)
class MembershipPolicy(PolicyForms):
    """A space visible to its members (of the given statuses) and to the account roles in
    `roles_see_all` (e.g. admins of a programme). A subclass may narrow `condition` with rules
    of its own (Lean Coffee's RoundPolicy adds its confidential-group rule)."""

    kind: str
    model: Any
    statuses: tuple[str, ...] = ("invited", "active")
    roles_see_all: tuple[str, ...] = ()

    def condition(self, actor: SpaceActor | None) -> ColumnElement[bool]:
        if actor is None:
            return false()
        if actor.kind == "user" and actor.role in self.roles_see_all:
            return true()
        return member_condition(self.kind, self.model.id, actor, statuses=self.statuses)


def membership_of(kind: str, space_id: int, actor: SpaceActor | None) -> Membership | None:
    """The actor's membership row in one space (whatever its status), or None."""
    if actor is None:
        return None
    column = Membership.user_id if actor.kind == "user" else Membership.guest_id
    return db.session.scalar(
        select(Membership).where(
            Membership.space_kind == kind, Membership.space_id == space_id, column == actor.id
        )
    )


def add_member(
    kind: str,
    space_id: int,
    *,
    now: datetime,
    user_id: int | None = None,
    guest_id: int | None = None,
    role: str = "member",
    status: str = "invited",
    display_name: str = "",
) -> Membership:
    """A new membership row (the unique keys refuse a second row for one person). Kinds with a
    detail table make their rows through their own class."""
    if kind in DETAIL_KINDS:
        raise ValueError(f"memberships of {kind!r} are made by their format's own class")
    if status not in STATUSES:
        raise ValueError(f"unknown membership status {status!r}")
    row = Membership(
        space_kind=kind,
        space_id=space_id,
        user_id=user_id,
        guest_id=guest_id,
        role=role,
        status=status,
        display_name=display_name,
        created_at=now,
        joined_at=now if status == "active" else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def set_status(row: Membership, status: str, *, now: datetime) -> Membership:
    """Move a membership to `status`, keeping joined and left times in step."""
    if status not in STATUSES:
        raise ValueError(f"unknown membership status {status!r}")
    row.status = status
    if status == "active":
        row.joined_at = row.joined_at or now
        row.left_at = None
    elif status in ("left", "removed"):
        row.left_at = now
    db.session.flush()
    return row


def init_app(app) -> None:
    """A deleted space takes its memberships along (subject lifecycle)."""
    from peerlab.core import subjects

    subjects.register_reference("core.memberships", Membership, "space_kind", "space_id")
