"""The ONE place that decides who sees what of a confidential group.

A group, its name, members and content are visible to its ACTIVE members only (accepted the
rule, not left, not removed), through the registered space policy. Organizers and admins who
are not members see nothing: their account role opens no group. Everyone else gets "not
found", the same answer as for a group that does not exist, so not even the existence of a
group id leaks. Lists use `POLICY.visible(stmt, actor)` (SQL), single things `require_member`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false

from peerlab.core import spaces
from peerlab.core.errors import NotFound
from peerlab.core.spaces import Membership, MembershipPolicy
from peerlab.extensions import db
from peerlab.groups.models import OWNER, SPACE_KIND, Group

ORGANIZERS = ("organizer", "admin")  # may invite addresses without an account


@dataclass(frozen=True)
class GroupPolicy(MembershipPolicy):
    kind: str = SPACE_KIND
    model: type = Group
    statuses: tuple[str, ...] = ("active",)

    def condition(self, actor) -> ColumnElement[bool]:
        if actor is None or actor.kind != "user":
            return false()
        member = spaces.member_condition(self.kind, Group.id, actor, statuses=self.statuses)
        return and_(member, Group.ended_at.is_(None))


POLICY = GroupPolicy()


def require_member(group_id: int, actor) -> tuple[Group, Membership]:
    """The group and the actor's active membership, or NotFound (hidden and missing alike)."""
    group = db.session.get(Group, group_id) if isinstance(group_id, int) else None
    if group is None or not POLICY.can_view(group, actor):
        raise NotFound()
    row = spaces.membership_of(SPACE_KIND, group.id, actor)
    if row is None or row.status != "active":  # pragma: no cover - the policy said active
        raise NotFound()
    return group, row


def require_owner(group_id: int, actor) -> tuple[Group, Membership]:
    """Owners' actions: a member who is no owner gets "not found" too (nothing to learn)."""
    group, row = require_member(group_id, actor)
    if row.role != OWNER:
        raise NotFound()
    return group, row


def is_owner(row: Membership | None) -> bool:
    return row is not None and row.status == "active" and row.role == OWNER


def may_invite_accounts(group: Group, row: Membership) -> bool:
    return is_owner(row) or group.members_may_invite


def may_invite_addresses(user) -> bool:
    """New e-mail addresses come in only through an organizer (who is also a member)."""
    return user is not None and user.role in ORGANIZERS
