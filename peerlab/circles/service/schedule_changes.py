"""Skipping and moving single dates of a circle; every change is an update of the ONE series.

Who: the circle's facilitator(s) (the role may rotate); other members mark "Ich kann diese
Woche nicht" instead (service.quorum). Every check runs before anything is written: bad input
raises InvalidInput and changes nothing. After a change, all members get the same series again
(same UID, SEQUENCE + 1, METHOD:REQUEST) and the date's reminders follow it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.circles import access, schedule
from peerlab.circles.models import SPACE_KIND, Circle
from peerlab.circles.models_schedule import ScheduleChange
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db


def require_facilitator(circle_id: int, actor) -> tuple[Circle, Membership]:
    circle, row = access.require_member(circle_id, actor)
    if row.role != "facilitator":
        raise Forbidden(_("Termine ändert die Moderation des Circles."))
    return circle, row


def changeable(circle: Circle, slot: int, now: datetime) -> schedule.Meeting:
    """The meeting in `slot` if it can still be changed: it exists and has not started."""
    if circle.ended_at is not None:
        raise Conflict(_("Der Circle ist beendet; seine Termine ändern sich nicht mehr."))
    meeting = schedule.by_slot(circle, slot)
    if meeting is None:
        raise NotFound()
    if meeting.starts_at <= now:
        raise Conflict(_("Dieses Treffen hat schon begonnen oder ist vorbei."))
    return meeting


def _row(circle: Circle, meeting: schedule.Meeting) -> ScheduleChange | None:
    return db.session.scalar(
        select(ScheduleChange).where(
            ScheduleChange.circle_id == circle.id,
            ScheduleChange.occurrence == meeting.occurrence,
        )
    )


def skip(circle_id: int, actor, slot: int, *, append: bool, now: datetime) -> Circle:
    """Skip one date: "an das Ende anhängen" (one more date after the last, still twelve
    meetings) or "nur ausfallen lassen" (EXDATE, one meeting fewer)."""
    circle, _facilitator = require_facilitator(circle_id, actor)
    meeting = changeable(circle, slot, now)
    remaining = len(schedule.of(circle))
    if not append and remaining <= 1:
        raise InvalidInput(_("Das letzte verbleibende Treffen lässt sich nicht streichen."))
    row = _row(circle, meeting)
    if row is None:
        row = ScheduleChange(circle_id=circle.id, occurrence=meeting.occurrence, created_at=now)
        db.session.add(row)
    row.kind = "append" if append else "drop"
    row.moved_to = None
    row.by_id = actor.id
    row.created_at = now
    db.session.flush()
    _after_change(circle, now)
    return circle


def parse_local(day: date, at: time, zone: str) -> datetime:
    """`day` at `at` in `zone` as UTC; InvalidInput for a wall-clock time that does not exist
    there (the hour skipped when summer time begins)."""
    local = datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    aware = local.replace(tzinfo=ZoneInfo(zone))
    back = aware.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if back != local:
        raise InvalidInput(_("Diese Uhrzeit gibt es an dem Tag nicht (Umstellung auf Sommerzeit)."))
    return aware.astimezone(UTC)


def move(circle_id: int, actor, slot: int, day: date, at: time, *, now: datetime) -> Circle:
    """Move one date to another day and/or time between its neighbours; only this date
    changes (an override with RECURRENCE-ID). Moving back to the planned time undoes it."""
    circle, _facilitator = require_facilitator(circle_id, actor)
    meeting = changeable(circle, slot, now)
    new_start = parse_local(day, at, circle.zone)
    if new_start <= now:
        raise InvalidInput(_("Der neue Termin liegt in der Vergangenheit."))
    zone = ZoneInfo(circle.zone)
    plan = schedule.of(circle)
    index = plan.index(meeting)
    for other in plan:
        if other is not meeting and other.starts_at.astimezone(zone).date() == day:
            raise InvalidInput(
                _(
                    "An diesem Tag ist schon Treffen %(n)s. Bitte wählen Sie einen anderen Tag.",
                    n=other.number,
                )
            )
    before = plan[index - 1] if index > 0 else None
    after = plan[index + 1] if index + 1 < len(plan) else None
    if (before and day < before.starts_at.astimezone(zone).date()) or (
        after and day > after.starts_at.astimezone(zone).date()
    ):
        raise InvalidInput(
            _("Ein Treffen lässt sich nur zwischen das vorige und das nächste Treffen verschieben.")
        )
    if new_start == meeting.starts_at:
        raise InvalidInput(_("Das Treffen ist schon zu dieser Zeit."))
    row = _row(circle, meeting)
    if new_start == meeting.occurrence:
        if row is not None:
            db.session.delete(row)
    else:
        if row is None:
            row = ScheduleChange(circle_id=circle.id, occurrence=meeting.occurrence, created_at=now)
            db.session.add(row)
        row.kind = "move"
        row.moved_to = new_start
        row.by_id = actor.id
        row.created_at = now
    db.session.flush()
    _after_change(circle, now)
    return circle


def _after_change(circle: Circle, now: datetime) -> None:
    from peerlab.circles.service import reminders
    from peerlab.ical import invitations

    reminders.sync(circle, now)
    invitations.send_update(SPACE_KIND, circle.id, now=now)
