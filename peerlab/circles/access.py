"""The ONE place that decides who sees what of a circle.

- Content (check-ins, shared workspace entries, the meeting page): the circle's ACTIVE members
  only, through the registered space policy (`CirclePolicy`, core.spaces). Admins and
  organizers are not let in by their account role.
- The overview (name, members, dates): active members and the account that created the
  circle even when it did not join (an organizer setting a circle up for others).
- The invitation: a person whose membership is "invited".
- A member's workspace: that member alone (`workspace_owner`).
Everyone else gets "not found", the same as for a circle that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_

from peerlab.circles.models import SPACE_KIND, Circle
from peerlab.core import spaces
from peerlab.core.errors import NotFound
from peerlab.core.spaces import Membership, MembershipPolicy
from peerlab.extensions import db

CREATORS = ("organizer", "admin")  # may start a circle without joining it


@dataclass(frozen=True)
class CirclePolicy(MembershipPolicy):
    kind: str = SPACE_KIND
    model: type = Circle
    statuses: tuple[str, ...] = ("active",)


POLICY = CirclePolicy()


def overview_condition(actor) -> ColumnElement[bool]:
    """SQL over Circle: the actor may see the circle's name, members and dates."""
    if actor is None or actor.kind != "user":
        return false()
    return or_(POLICY.condition(actor), Circle.created_by_id == actor.id)


def membership(circle: Circle, actor) -> Membership | None:
    return spaces.membership_of(SPACE_KIND, circle.id, actor)


def may_see_content(circle: Circle | None, actor) -> bool:
    return circle is not None and POLICY.can_view(circle, actor)


def may_see_overview(circle: Circle | None, actor) -> bool:
    if circle is None or actor is None or actor.kind != "user":
        return False
    return circle.created_by_id == actor.id or may_see_content(circle, actor)


def require_member(circle_id: int, actor) -> tuple[Circle, Membership]:
    """The circle and the actor's active membership, or NotFound."""
    circle = db.session.get(Circle, circle_id)
    if not may_see_content(circle, actor):
        raise NotFound()
    return circle, membership(circle, actor)


def require_overview(circle_id: int, actor) -> Circle:
    circle = db.session.get(Circle, circle_id)
    if not may_see_overview(circle, actor):
        raise NotFound()
    return circle


def require_invitation(circle_id: int, actor) -> tuple[Circle, Membership]:
    circle = db.session.get(Circle, circle_id)
    row = membership(circle, actor) if circle is not None else None
    if row is None or row.status != "invited" or circle.ended_at is not None:
        raise NotFound()
    return circle, row


def workspace_owner(row: Membership | None, actor) -> bool:
    """A workspace entry belongs to the member whose membership it hangs off, and to no one
    else (not the facilitator, not organizers, not admins)."""
    return (
        row is not None
        and actor is not None
        and actor.kind == "user"
        and row.user_id == actor.id
        and row.status == "active"
    )
