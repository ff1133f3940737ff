"""Reminder mails of a circle as core due items: the day before each meeting (with the
quorum check, service.quorum) and a nudge a few hours before to members without a check-in.

`sync` replaces the circle's pending items after every change of its dates, so a moved date
moves its reminders and a skipped one loses them. A handler that finds its date gone or moved
does nothing; each mail has a cause key (circle, kind, date, start, member), so it goes out at
most once even if an item runs twice. Members switch the mails off for themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle
from peerlab.circles.models_schedule import Absence, ReminderOptOut
from peerlab.core import due
from peerlab.core.spaces import Membership
from peerlab.extensions import db

DAY_BEFORE = "circles.day_before"
NUDGE = "circles.nudge"
KINDS = (DAY_BEFORE, NUDGE)
LEAD = {DAY_BEFORE: timedelta(hours=24), NUDGE: timedelta(hours=3)}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def sync(circle: Circle, now: datetime) -> None:
    """Drop the circle's pending reminder items and schedule one per kind and future date."""
    db.session.execute(
        delete(due.DueItem)
        .where(
            due.DueItem.subject_kind == SPACE_KIND,
            due.DueItem.subject_id == circle.id,
            due.DueItem.kind.in_(KINDS),
            due.DueItem.done_at.is_(None),
        )
        .execution_options(synchronize_session="fetch")
    )
    if circle.ended_at is not None:
        return
    for meeting in schedule.of(circle):
        for kind in KINDS:
            due_at = meeting.starts_at - LEAD[kind]
            if due_at <= now:
                continue
            due.schedule(
                kind,
                due_at=due_at,
                now=now,
                subject=(SPACE_KIND, circle.id),
                payload={"slot": meeting.slot, "starts_at": _iso(meeting.starts_at)},
            )


def pending(circle: Circle) -> list[due.DueItem]:
    return list(
        db.session.scalars(
            select(due.DueItem)
            .where(
                due.DueItem.subject_kind == SPACE_KIND,
                due.DueItem.subject_id == circle.id,
                due.DueItem.kind.in_(KINDS),
                due.DueItem.done_at.is_(None),
            )
            .order_by(due.DueItem.due_at, due.DueItem.id)
        )
    )


def wants_reminders(row: Membership) -> bool:
    return (
        db.session.scalar(select(ReminderOptOut.id).where(ReminderOptOut.membership_id == row.id))
        is None
    )


def set_reminders(circle_id: int, actor, on: bool, *, now: datetime) -> None:
    _circle, row = access.require_member(circle_id, actor)
    found = db.session.scalar(select(ReminderOptOut).where(ReminderOptOut.membership_id == row.id))
    if on and found is not None:
        db.session.delete(found)
    elif not on and found is None:
        db.session.add(ReminderOptOut(membership_id=row.id, created_at=now))
    db.session.flush()


def active_members(circle: Circle) -> list[tuple[Membership, User]]:
    from peerlab.circles.service.circles import members

    return members(circle, ("active",))


def current_meeting(item: due.DueItem) -> tuple[Circle, schedule.Meeting] | None:
    """The item's circle and date, or None when the date was moved, skipped or is over."""
    circle = db.session.get(Circle, item.subject_id) if item.subject_id else None
    if circle is None or circle.ended_at is not None:
        return None
    meeting = schedule.by_slot(circle, int(item.payload.get("slot", 0)))
    if meeting is None or _iso(meeting.starts_at) != item.payload.get("starts_at"):
        return None
    return circle, meeting


def _send(kind: str, circle: Circle, meeting: schedule.Meeting, now: datetime) -> int:
    from peerlab.circles.service import mails

    absent = set(
        db.session.scalars(
            select(Absence.membership_id).where(
                Absence.circle_id == circle.id, Absence.occurrence == meeting.occurrence
            )
        )
    )
    checked = set(
        db.session.scalars(
            select(CheckIn.membership_id).where(
                CheckIn.circle_id == circle.id, CheckIn.meeting_no == meeting.number
            )
        )
    )
    sent = 0
    for row, user in active_members(circle):
        if row.id in absent or not wants_reminders(row):
            continue
        if kind == NUDGE and row.id in checked:
            continue
        key = f"circle:{circle.id}:{kind}:{meeting.slot}:{_iso(meeting.starts_at)}:{row.id}"
        template = "circles_reminder" if kind == DAY_BEFORE else "circles_nudge"
        mails.send(template, circle, meeting, user, now=now, cause_key=key)
        sent += 1
    return sent


def apply_day_before(item: due.DueItem, now: datetime) -> None:
    from peerlab.circles.service import quorum

    found = current_meeting(item)
    if found is None:
        return
    circle, meeting = found
    quorum.check(circle, meeting, now)
    _send(DAY_BEFORE, circle, meeting, now)


def apply_nudge(item: due.DueItem, now: datetime) -> None:
    found = current_meeting(item)
    if found is not None:
        _send(NUDGE, *found, now)


def register() -> None:
    due.register_kind(DAY_BEFORE, apply_day_before)
    due.register_kind(NUDGE, apply_nudge)
