"""The ONE place that decides who sees what of a coaching session.

- Content (the live board, cards, notes, the key question): the session's ACTIVE members
  (every role, observers read-only), through the registered space policy. Account roles
  (organizer, admin) let nobody in.
- The overview (title, date, who has which role, the method): the members and the account
  that set the session up without taking a role (an organizer) — never any content.
- Setting up (method, settings) before the start: that organizer and the moderator.
- A session of a confidential group: all of the above only while the actor is still an
  active member of that group (former members and non-members get nothing, ever).
Everyone else gets "not found", the same as for a session that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_

from peerlab.coaching import grouped
from peerlab.coaching.models import MODERATOR, SPACE_KIND, CoachingSession
from peerlab.core import spaces
from peerlab.core.errors import NotFound
from peerlab.core.spaces import Membership, MembershipPolicy
from peerlab.extensions import db

CREATORS = ("organizer", "admin")


@dataclass(frozen=True)
class SessionPolicy(MembershipPolicy):
    kind: str = SPACE_KIND
    model: type = CoachingSession
    statuses: tuple[str, ...] = ("active",)

    def condition(self, actor) -> ColumnElement[bool]:
        """Lists (calendar, dashboard) drop a group's sessions for anyone no longer in it."""
        return and_(super().condition(actor), grouped.condition(actor))


POLICY = SessionPolicy()


def overview_condition(actor) -> ColumnElement[bool]:
    """SQL over CoachingSession: the actor may see title, date and roles."""
    if actor is None or actor.kind != "user":
        return false()
    seen = or_(POLICY.condition(actor), CoachingSession.created_by_id == actor.id)
    return and_(seen, grouped.condition(actor))


def membership(session: CoachingSession, actor) -> Membership | None:
    row = spaces.membership_of(SPACE_KIND, session.id, actor)
    return row if row is not None and row.status == "active" else None


def may_see_content(session: CoachingSession | None, actor) -> bool:
    return (
        session is not None
        and POLICY.can_view(session, actor)
        and grouped.still_member(session, actor)
    )


def may_see_overview(session: CoachingSession | None, actor) -> bool:
    if session is None or actor is None or actor.kind != "user":
        return False
    if not grouped.still_member(session, actor):
        return False
    return session.created_by_id == actor.id or may_see_content(session, actor)


def may_set_up(session: CoachingSession, actor) -> bool:
    """Change the method before the start: the organizer who set it up, or the moderator."""
    if session.started_at is not None or actor is None or actor.kind != "user":
        return False
    if session.created_by_id == actor.id:
        return True
    row = membership(session, actor)
    return row is not None and row.role == MODERATOR


def require_member(session_id: int, actor) -> tuple[CoachingSession, Membership]:
    session = db.session.get(CoachingSession, session_id)
    if not may_see_content(session, actor):
        raise NotFound()
    return session, membership(session, actor)


def require_overview(session_id: int, actor) -> CoachingSession:
    session = db.session.get(CoachingSession, session_id)
    if not may_see_overview(session, actor):
        raise NotFound()
    return session


def require_setup(session_id: int, actor) -> CoachingSession:
    session = require_overview(session_id, actor)
    if not may_set_up(session, actor):
        raise NotFound()
    return session
