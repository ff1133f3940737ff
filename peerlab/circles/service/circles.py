"""Starting a circle, answering its invitation, leaving it. Actor and clock are parameters;
every check runs before anything is written (bad input raises InvalidInput, nothing changes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import LANGUAGES, SPACE_KIND, Circle
from peerlab.core import spaces
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.core.spaces import Membership
from peerlab.core.urls import is_web_link
from peerlab.extensions import db

MIN_MEMBERS, MAX_MEMBERS = 2, 8
NAME_MAX = 120


@dataclass(frozen=True)
class CircleSettings:
    name: str
    weekday: int
    local_time: time
    zone: str
    start_date: date
    video_url: str = ""
    language: str = "de"
    invitees: tuple[int, ...] = field(default_factory=tuple)
    join: bool = True  # the creator takes part (always for accounts that may not organize)


def _check(settings: CircleSettings, creator: User, now: datetime) -> list[User]:
    name = settings.name.strip()
    if not name:
        raise InvalidInput(_("Bitte geben Sie dem Circle einen Namen."))
    if len(name) > NAME_MAX:
        raise InvalidInput(_("Der Name ist zu lang (höchstens 120 Zeichen)."))
    if settings.weekday not in range(7):
        raise InvalidInput(_("Bitte wählen Sie einen Wochentag."))
    if settings.zone not in available_timezones():
        raise InvalidInput(_("Diese Zeitzone kennt peerlab nicht."))
    if settings.language not in LANGUAGES:
        raise InvalidInput(_("Bitte wählen Sie Deutsch oder Englisch."))
    if settings.video_url and not is_web_link(settings.video_url):
        raise InvalidInput(
            _("Bitte geben Sie einen vollständigen Link an, der mit https:// oder http:// beginnt.")
        )
    if len(settings.video_url) > 500:
        raise InvalidInput(_("Der Link ist zu lang (höchstens 500 Zeichen)."))
    today = now.astimezone(ZoneInfo(settings.zone)).date()
    if settings.start_date < today:
        raise InvalidInput(_("Das Startdatum liegt in der Vergangenheit."))
    if (
        schedule.meetings(
            settings.start_date, settings.weekday, settings.local_time, settings.zone
        )[0].starts_at
        <= now
    ):
        raise InvalidInput(_("Das erste Treffen läge in der Vergangenheit."))
    ids = set(settings.invitees) - {creator.id}
    people = db.session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    if len(people) != len(ids) or any(u.status != "active" for u in people):
        raise InvalidInput(_("Mindestens eine eingeladene Person gibt es nicht (mehr)."))
    count = len(people) + (1 if settings.join else 0)
    if not MIN_MEMBERS <= count <= MAX_MEMBERS:
        raise InvalidInput(
            _(
                "Ein Circle hat 2 bis 8 Mitglieder (Sie selbst mitgezählt, wenn Sie "
                "teilnehmen); gewählt sind %(count)s.",
                count=count,
            )
        )
    return sorted(people, key=lambda u: u.id)


def create_circle(settings: CircleSettings, *, creator: User, now: datetime) -> Circle:
    """A new circle; the creator joins as facilitator unless an organizer chose not to."""
    if not settings.join and creator.role not in access.CREATORS:
        raise Forbidden(_("Nur Organisatorinnen und Organisatoren legen Circles für andere an."))
    people = _check(settings, creator, now)
    circle = Circle(
        name=settings.name.strip(),
        weekday=settings.weekday,
        local_time=settings.local_time.replace(second=0, microsecond=0, tzinfo=None),
        zone=settings.zone,
        start_date=settings.start_date,
        video_url=settings.video_url.strip(),
        language=settings.language,
        created_by_id=creator.id,
        created_at=now,
    )
    db.session.add(circle)
    db.session.flush()
    if settings.join:
        spaces.add_member(
            SPACE_KIND, circle.id, now=now, user_id=creator.id, role="facilitator", status="active"
        )
        _send_invitation(circle, creator, organizer=creator, now=now)
    for person in people:
        spaces.add_member(SPACE_KIND, circle.id, now=now, user_id=person.id, status="invited")
    from peerlab.circles.service import reminders

    reminders.sync(circle, now)
    return circle


def members(circle: Circle, statuses: tuple[str, ...] = ("invited", "active")) -> list:
    """(membership, user) pairs of the circle, facilitators first, then by name."""
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == circle.id,
            Membership.status.in_(statuses),
        )
        .order_by(Membership.role != "facilitator", User.name)
    ).all()
    return [(m, u) for m, u in rows]


def invited_to(user_id: int) -> list[Circle]:
    """Circles (not ended) with an open invitation for this account."""
    return list(
        db.session.scalars(
            select(Circle)
            .join(Membership, Membership.space_id == Circle.id)
            .where(
                Membership.space_kind == SPACE_KIND,
                Membership.user_id == user_id,
                Membership.status == "invited",
                Circle.ended_at.is_(None),
            )
            .order_by(Circle.id)
        )
    )


def answer_invitation(circle_id: int, actor, *, accept: bool, now: datetime) -> Circle:
    circle, row = access.require_invitation(circle_id, actor)
    if accept:
        spaces.set_status(row, "active", now=now)
        from peerlab.circles.service.lifecycle import ensure_facilitator

        ensure_facilitator(circle)
        creator = db.session.get(User, circle.created_by_id) if circle.created_by_id else None
        _send_invitation(circle, actor.user, organizer=creator, now=now)
    else:
        spaces.set_status(row, "left", now=now)
    return circle


def leave(circle_id: int, actor, *, now: datetime, keep_checkins: bool = True) -> None:
    """An active member leaves (service.lifecycle: keep or delete check-ins, CANCEL)."""
    from peerlab.circles.service import lifecycle

    lifecycle.leave(circle_id, actor, keep_checkins=keep_checkins, now=now)


def _send_invitation(circle: Circle, user: User, *, organizer: User | None, now) -> None:
    from peerlab.circles import calendar_source

    calendar_source.invite(circle, user, organizer=organizer, now=now)
