"""Quorum: "wir treffen uns, wenn mindestens 3 können".

Members mark "Ich kann diese Woche nicht" for a date that has not started. The quorum is
checked at each mark and again the day before (reminders.apply_day_before): when fewer than
the needed number can come, every active member gets ONE "findet nicht statt" mail for that
date; if enough can come again afterwards, ONE "findet doch statt" mail. The outbox's unique
cause keys make both at most once per date and member. The facilitator may then move or skip
the date (service.schedule_changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from peerlab.circles import access, schedule
from peerlab.circles.models import Circle
from peerlab.circles.models_schedule import Absence
from peerlab.circles.service.schedule_changes import changeable
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail

QUORUM = 3  # at least three can come (or everyone, in a circle of two)
OFF, ON = "circles_quorum_off", "circles_quorum_on"


@dataclass(frozen=True)
class Status:
    can_come: int
    needed: int
    absent: frozenset[int]  # membership ids

    @property
    def reached(self) -> bool:
        return self.can_come >= self.needed


def absent_ids(circle: Circle, meeting: schedule.Meeting) -> frozenset[int]:
    return frozenset(
        db.session.scalars(
            select(Absence.membership_id).where(
                Absence.circle_id == circle.id, Absence.occurrence == meeting.occurrence
            )
        )
    )


def status(circle: Circle, meeting: schedule.Meeting) -> Status:
    from peerlab.circles.service.reminders import active_members

    active = [row.id for row, _user in active_members(circle)]
    absent = absent_ids(circle, meeting) & frozenset(active)
    return Status(len(active) - len(absent), min(QUORUM, len(active)), absent)


def statuses(circle: Circle, meetings: list[schedule.Meeting]) -> dict[int, Status]:
    """`status` of many dates of one circle (per slot), in two queries."""
    from peerlab.circles.service.reminders import active_members

    active = frozenset(row.id for row, _user in active_members(circle))
    absent: dict = {}
    for membership_id, occurrence in db.session.execute(
        select(Absence.membership_id, Absence.occurrence).where(Absence.circle_id == circle.id)
    ):
        if membership_id in active:
            absent.setdefault(occurrence, set()).add(membership_id)
    out = {}
    for meeting in meetings:
        away = frozenset(absent.get(meeting.occurrence, ()))
        out[meeting.slot] = Status(len(active) - len(away), min(QUORUM, len(active)), away)
    return out


def mark(circle_id: int, actor, slot: int, *, cannot: bool, now: datetime) -> Status:
    """Mark or unmark "Ich kann diese Woche nicht" for one date, then check the quorum."""
    circle, row = access.require_member(circle_id, actor)
    meeting = changeable(circle, slot, now)
    found = db.session.scalar(
        select(Absence).where(
            Absence.membership_id == row.id, Absence.occurrence == meeting.occurrence
        )
    )
    if cannot and found is None:
        db.session.add(
            Absence(
                circle_id=circle.id,
                membership_id=row.id,
                occurrence=meeting.occurrence,
                created_at=now,
            )
        )
    elif not cannot and found is not None:
        db.session.delete(found)
    db.session.flush()
    check(circle, meeting, now)
    return status(circle, meeting)


def _prefix(circle: Circle, meeting: schedule.Meeting, template: str) -> str:
    return f"circle:{circle.id}:{template}:{meeting.slot}:"


def _sent(prefix: str) -> bool:
    return (
        db.session.scalar(
            select(OutboxMail.id).where(OutboxMail.cause_key.like(prefix + "%")).limit(1)
        )
        is not None
    )


def check(circle: Circle, meeting: schedule.Meeting, now: datetime) -> str | None:
    """Send the one "findet nicht statt" or the one "findet doch statt" mail if due; returns
    the template sent, or None."""
    from peerlab.circles.service import mails
    from peerlab.circles.service.reminders import active_members

    if meeting.starts_at <= now or circle.ended_at is not None:
        return None
    current = status(circle, meeting)
    off_sent = _sent(_prefix(circle, meeting, OFF))
    if not current.reached and not off_sent:
        template = OFF
    elif current.reached and off_sent and not _sent(_prefix(circle, meeting, ON)):
        template = ON
    else:
        return None
    prefix = _prefix(circle, meeting, template)
    for row, user in active_members(circle):
        mails.send(template, circle, meeting, user, now=now, cause_key=f"{prefix}{row.id}")
    return template
