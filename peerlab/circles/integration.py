"""What circles contribute elsewhere: dashboard, "Jetzt teilnehmen", export, account deletion."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.calendar_source import KIND, actor_of
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle, Contribution, Goal, Relationship
from peerlab.circles.service import circles as circles_service
from peerlab.core.joining import JoinTarget
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.pages.dashboard import DashboardPart, DateItem, TodoItem


def dashboard(user: User, now: datetime) -> DashboardPart:
    """My circles' next meetings, open invitations and check-ins still to write."""
    part = DashboardPart()
    actor = actor_of(user)
    invited = circles_service.invited_to(user.id)
    circles = db.session.scalars(
        access.POLICY.visible(
            select(Circle).where(Circle.ended_at.is_(None)).order_by(Circle.id), actor
        )
    ).all()
    # three queries for all circles: their schedule changes, my memberships, my check-ins
    changes = schedule.changes_of_many([c.id for c in circles] + [c.id for c in invited])
    rows = {
        m.space_id: m
        for m in db.session.scalars(
            select(Membership).where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id.in_([c.id for c in circles]),
                Membership.user_id == user.id,
            )
        )
    }
    written = {
        (membership_id, number)
        for membership_id, number in db.session.execute(
            select(CheckIn.membership_id, CheckIn.meeting_no).where(
                CheckIn.membership_id.in_([m.id for m in rows.values()])
            )
        )
    }
    for circle in circles:
        plan = schedule.meetings(
            circle.start_date, circle.weekday, circle.local_time, circle.zone, changes[circle.id]
        )
        meeting = next((m for m in plan if m.ends_at > now), None)  # schedule.current
        if meeting is None:
            continue
        page = url_for("circles.show", circle_id=circle.id)
        part.dates.append(
            DateItem(
                title=_("%(name)s – Treffen %(n)s von 12", name=circle.name, n=meeting.number),
                starts_at=meeting.starts_at,
                url=page,
                format_label=_("Circle"),
                ics_url=url_for("ical.download", kind=KIND, subject_id=circle.id),
                kind=KIND,
                subject_id=circle.id,
            )
        )
        upcoming = next((m for m in plan if m.starts_at > now), None)  # checkins.open_meeting
        row = rows.get(circle.id)
        if upcoming is not None and row is not None and (row.id, upcoming.number) not in written:
            part.todos.append(
                TodoItem(
                    text=_("Check-in für Treffen %(n)s schreiben", n=upcoming.number),
                    url=url_for("circles.checkin", circle_id=circle.id, number=upcoming.number),
                    due=upcoming.starts_at,
                    label=circle.name,
                )
            )
    for circle in invited:
        part.invitations.append(
            TodoItem(
                text=_("Einladung in den Circle „%(name)s“", name=circle.name),
                url=url_for("circles.invitation", circle_id=circle.id),
                due=_first_start(circle, changes[circle.id]),
                label=_("Circle"),
            )
        )
    return part


def _first_start(circle: Circle, changes: list[schedule.Change]) -> datetime:
    plan = schedule.meetings(
        circle.start_date, circle.weekday, circle.local_time, circle.zone, changes
    )
    return plan[0].starts_at


def join_target(circle_id: int, user: User) -> JoinTarget | None:
    """The meeting under way or next, for an active member: the circle page (which links the
    video room)."""
    circle = db.session.get(Circle, circle_id)
    if not access.may_see_content(circle, actor_of(user)):
        return None
    from peerlab.core.clock import utcnow

    meeting = _joinable(circle, utcnow())
    if meeting is None:
        return None
    return JoinTarget(
        url=url_for("circles.show", circle_id=circle.id),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        closed=circle.ended_at is not None,
    )


def _joinable(circle: Circle, now: datetime) -> schedule.Meeting | None:
    from peerlab.core.joining import STAYS_AFTER

    return next((m for m in schedule.of(circle) if m.ends_at + STAYS_AFTER > now), None)


def _my_rows(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).where(
                Membership.space_kind == SPACE_KIND, Membership.user_id == user.id
            )
        )
    )


def export_user(user: User) -> list[dict]:
    """The member's own circle data: role, check-ins and the whole private workspace."""
    result = []
    for row in _my_rows(user):
        circle = db.session.get(Circle, row.space_id)
        goal = db.session.scalar(select(Goal).where(Goal.membership_id == row.id))
        result.append(
            {
                "circle": circle.name if circle else None,
                "role": row.role,
                "status": row.status,
                "goal": {"text": goal.text, "shared": goal.shared} if goal else None,
                "checkins": [
                    {
                        "meeting": c.meeting_no,
                        "what_happened": c.happened,
                        "next_step": c.next_step,
                        "where_i_need_help": c.need_help,
                    }
                    for c in db.session.scalars(
                        select(CheckIn)
                        .where(CheckIn.membership_id == row.id)
                        .order_by(CheckIn.meeting_no)
                    )
                ],
                "relationships": [
                    {"name": r.name, "closeness": r.closeness, "note": r.note, "shared": r.shared}
                    for r in db.session.scalars(
                        select(Relationship).where(Relationship.membership_id == row.id)
                    )
                ],
                **_schedule_export(row),
                "contributions": [
                    {
                        "what": c.what,
                        "to_whom": c.to_whom,
                        "day": c.on_day.isoformat(),
                        "shared": c.shared,
                    }
                    for c in db.session.scalars(
                        select(Contribution).where(Contribution.membership_id == row.id)
                    )
                ],
            }
        )
    return result


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """Check-ins and the workspace are the member's own: they go with the account either way
    (a check-in is about the person; nothing of it stays under "former member")."""
    ids = [row.id for row in _my_rows(user)]
    if ids:
        for model in (CheckIn, Goal, Relationship, Contribution, *_schedule_models()):
            db.session.execute(delete(model).where(model.membership_id.in_(ids)))
        db.session.execute(delete(Membership).where(Membership.id.in_(ids)))
    from sqlalchemy import update

    from peerlab.circles.models_schedule import ScheduleChange

    db.session.execute(
        update(ScheduleChange).where(ScheduleChange.by_id == user.id).values(by_id=None)
    )
    db.session.flush()


def _schedule_models() -> tuple:
    from peerlab.circles.models_schedule import Absence, Reflection, ReminderOptOut

    return (Absence, ReminderOptOut, Reflection)


def _schedule_export(row: Membership) -> dict:
    """Closing reflection, "Ich kann nicht" marks and the reminder switch of one membership."""
    from peerlab.circles.models_schedule import Absence, Reflection, ReminderOptOut

    reflection = db.session.scalar(select(Reflection).where(Reflection.membership_id == row.id))
    return {
        "reflection": reflection.text if reflection else None,
        "cannot_come": [
            a.occurrence.isoformat()
            for a in db.session.scalars(
                select(Absence).where(Absence.membership_id == row.id).order_by(Absence.occurrence)
            )
        ],
        "reminders_off": db.session.scalar(
            select(ReminderOptOut.id).where(ReminderOptOut.membership_id == row.id)
        )
        is not None,
    }
