"""What peer coaching contributes elsewhere: dashboard, "Jetzt teilnehmen", export, erasure."""

from __future__ import annotations

import json
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.coaching import access
from peerlab.coaching.calendar_source import KIND, actor_of
from peerlab.coaching.models import SPACE_KIND, CoachingKeep, CoachingSession
from peerlab.coaching.service import ending, setup
from peerlab.core.joining import JoinTarget
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.pages.dashboard import DashboardPart, DateItem


def dashboard(user: User, now: datetime) -> DashboardPart:
    """My sessions (as a participant) that have not ended; the title stays on the page."""
    part = DashboardPart()
    rows = db.session.scalars(
        access.POLICY.visible(
            select(CoachingSession).order_by(CoachingSession.starts_at), actor_of(user)
        )
    ).all()
    for session in rows:
        part.dates.append(
            DateItem(
                title=session.title,
                starts_at=session.starts_at,
                url=url_for("coaching.show", session_id=session.id),
                format_label=_("Kollegiale Beratung"),
                ics_url=url_for("ical.download", kind=KIND, subject_id=session.id),
                kind=KIND,
                subject_id=session.id,
            )
        )
    return part


def join_target(session_id: int, user: User) -> JoinTarget | None:
    session = db.session.get(CoachingSession, session_id)
    if not access.may_see_content(session, actor_of(user)):
        return None
    return JoinTarget(
        url=url_for("coaching.show", session_id=session.id),
        starts_at=session.starts_at,
        ends_at=setup.planned_end(session),
    )


def export_user(user: User) -> dict:
    """My roles in sessions not yet ended, and everything I kept as a case giver."""
    roles = [
        {"session": db.session.get(CoachingSession, r.space_id).title, "role": r.role}
        for r in db.session.scalars(
            select(Membership).where(
                Membership.space_kind == SPACE_KIND, Membership.user_id == user.id
            )
        )
        if db.session.get(CoachingSession, r.space_id) is not None
    ]
    kept = [
        {
            "title": k.title,
            "held_at": k.held_at.isoformat(),
            "key_question": k.key_question,
            "cards": json.loads(k.cards or "[]"),
            "notes": k.notes,
            "what_i_will_try": k.try_line,
        }
        for k in ending.keeps_of(user.id)
    ]
    return {"sessions": roles, "kept": kept}


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """The keep is the person's own: it goes with the account either way. Their role rows go
    too; named cards of a running session lose their author (the row's key is SET NULL)."""
    db.session.execute(delete(CoachingKeep).where(CoachingKeep.user_id == user.id))
    db.session.execute(
        delete(Membership).where(Membership.space_kind == SPACE_KIND, Membership.user_id == user.id)
    )
    db.session.flush()
