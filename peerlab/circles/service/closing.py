"""After the last meeting: a closing reflection per member, "Erneuern" for another twelve
meetings, and the archive.

- The reflection can be written once the last meeting has started; the circle sees it.
- Renewing (any active member, once per circle) starts a NEW circle with the same settings on
  the same weekday after the last meeting; the renewer joins as facilitator and the other
  active members are invited: whoever accepts takes part (opt in), and gets a new series.
- The archive is the old circle itself: its members keep it, read only (check-ins close with
  their meetings, the dates cannot change any more).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import Circle
from peerlab.circles.models_schedule import Reflection, Renewal
from peerlab.circles.service import circles as circles_service
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.core.spaces import Membership
from peerlab.extensions import db

TEXT_MAX = 2000


def last_started(circle: Circle, now: datetime) -> bool:
    plan = schedule.of(circle)
    return circle.ended_at is not None or (bool(plan) and plan[-1].starts_at <= now)


def is_archive(circle: Circle, now: datetime) -> bool:
    """All meetings are over (or the circle was ended): the page is read only."""
    return schedule.current(circle, now) is None


def save_reflection(circle_id: int, actor, text: str, *, now: datetime) -> Reflection:
    circle, row = access.require_member(circle_id, actor)
    if not last_started(circle, now):
        raise Conflict(_("Der Rückblick ist nach dem letzten Treffen dran."))
    text = text.strip()
    if not text:
        raise InvalidInput(_("Bitte schreiben Sie ein paar Sätze."))
    if len(text) > TEXT_MAX:
        raise InvalidInput(_("Der Rückblick hat höchstens 2000 Zeichen."))
    found = db.session.scalar(select(Reflection).where(Reflection.membership_id == row.id))
    if found is None:
        found = Reflection(circle_id=circle.id, membership_id=row.id, created_at=now)
        db.session.add(found)
    found.text = text
    found.updated_at = now
    db.session.flush()
    return found


def reflections(circle: Circle, actor) -> list[tuple[Reflection, User]]:
    access.require_member(circle.id, actor)
    rows = db.session.execute(
        select(Reflection, User)
        .join(Membership, Membership.id == Reflection.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Reflection.circle_id == circle.id)
        .order_by(User.name)
    ).all()
    return [(r, u) for r, u in rows]


def successor(circle: Circle) -> Circle | None:
    renewal = db.session.scalar(select(Renewal).where(Renewal.circle_id == circle.id))
    return db.session.get(Circle, renewal.successor_id) if renewal else None


def renew(circle_id: int, actor, *, now: datetime) -> Circle:
    """The new circle for another twelve meetings (the existing one if already renewed)."""
    circle, _row = access.require_member(circle_id, actor)
    found = successor(circle)
    if found is not None:
        return found
    if not last_started(circle, now):
        raise Conflict(_("Erneuern lässt sich ein Circle nach seinem letzten Treffen."))
    zone = ZoneInfo(circle.zone)
    plan = schedule.of(circle)
    start = plan[-1].starts_at.astimezone(zone).date() + timedelta(days=1)
    today = now.astimezone(zone).date() + timedelta(days=1)
    start = max(start, today)
    if schedule.meetings(start, circle.weekday, circle.local_time, circle.zone)[0].starts_at <= now:
        start += timedelta(days=1)
    others = tuple(
        u.id for r, u in circles_service.members(circle, ("active",)) if u.id != actor.id
    )
    settings = circles_service.CircleSettings(
        name=_renewed_name(circle.name),
        weekday=circle.weekday,
        local_time=circle.local_time,
        zone=circle.zone,
        start_date=start,
        video_url=circle.video_url,
        language=circle.language,
        invitees=others,
        join=True,
    )
    new = circles_service.create_circle(settings, creator=actor.user, now=now)
    db.session.add(Renewal(circle_id=circle.id, successor_id=new.id, created_at=now))
    db.session.flush()
    return new


def _renewed_name(name: str) -> str:
    suffix = " – " + _("neue Runde")
    return (name[: circles_service.NAME_MAX - len(suffix)] + suffix).strip()
