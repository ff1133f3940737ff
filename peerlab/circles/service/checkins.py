"""Weekly check-ins: written before a meeting, visible to the circle's active members only,
editable until that meeting starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle
from peerlab.core import activity
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.core.spaces import Membership
from peerlab.extensions import db

TEXT_MAX = 2000


@dataclass(frozen=True)
class CheckInText:
    happened: str
    next_step: str
    need_help: str = ""


def open_meeting(circle: Circle, now: datetime) -> schedule.Meeting | None:
    """The meeting whose check-in can still be written: the next one that has not started."""
    if circle.ended_at is not None:
        return None
    return next((m for m in schedule.of(circle) if m.starts_at > now), None)


def mine(circle: Circle, row: Membership, number: int) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.membership_id == row.id, CheckIn.meeting_no == number)
    )


def save(circle_id: int, actor, number: int, text: CheckInText, *, now: datetime) -> CheckIn:
    circle, row = access.require_member(circle_id, actor)
    meeting = schedule.meeting(circle, number)
    if meeting is None:
        raise InvalidInput(_("Dieses Treffen gibt es nicht."))
    if circle.ended_at is not None or meeting.starts_at <= now:
        raise Conflict(_("Das Treffen hat schon begonnen: Der Check-in ist nicht mehr änderbar."))
    fields = {
        "happened": text.happened.strip(),
        "next_step": text.next_step.strip(),
        "need_help": text.need_help.strip(),
    }
    if not fields["happened"] and not fields["next_step"]:
        raise InvalidInput(_("Bitte schreiben Sie, was passiert ist, oder Ihren nächsten Schritt."))
    if any(len(value) > TEXT_MAX for value in fields.values()):
        raise InvalidInput(_("Jedes Feld hat höchstens 2000 Zeichen."))
    found = mine(circle, row, number)
    created = found is None
    if found is None:
        found = CheckIn(
            circle_id=circle.id, membership_id=row.id, meeting_no=number, created_at=now
        )
        db.session.add(found)
    for key, value in fields.items():
        setattr(found, key, value)
    found.updated_at = now
    db.session.flush()
    if created:  # the others have something new (the daily digest; no content, no circle)
        activity.report_space(SPACE_KIND, circle.id, now=now, besides=row.user_id)
    return found


def for_meeting(circle: Circle, number: int, actor) -> list[tuple[CheckIn, User]]:
    """The check-ins of one meeting, for an active member of the circle (else NotFound)."""
    access.require_member(circle.id, actor)
    rows = db.session.execute(
        select(CheckIn, User)
        .join(Membership, Membership.id == CheckIn.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(CheckIn.circle_id == circle.id, CheckIn.meeting_no == number)
        .order_by(User.name)
    ).all()
    return [(c, u) for c, u in rows]


def checked_in_ids(circle: Circle, number: int) -> set[int]:
    """Membership ids with a check-in for meeting `number` (who, never what)."""
    return set(
        db.session.scalars(
            select(CheckIn.membership_id).where(
                CheckIn.circle_id == circle.id, CheckIn.meeting_no == number
            )
        )
    )


def counts(circle: Circle) -> dict[int, int]:
    result: dict[int, int] = {}
    for number in db.session.scalars(
        select(CheckIn.meeting_no).where(CheckIn.circle_id == circle.id)
    ):
        result[number] = result.get(number, 0) + 1
    return result
