"""Series and their dates: create, add, edit, cancel; capacity changes move the waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.core.locking import lock_versioned
from peerlab.core.urls import is_web_link
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.models import AUDIENCES, Impulse, Series
from peerlab.impulses.service import mailing, notices, registrations, reminders


@dataclass(frozen=True)
class SeriesSettings:
    title: str
    description: str = ""
    audience: str = "network"
    default_minutes: int = 30
    video_url: str = ""
    capacity: int | None = None
    deadline_hours: int = 0


@dataclass(frozen=True)
class ImpulseSettings:
    title: str
    starts_at: datetime
    minutes: int
    speaker_name: str = ""
    abstract: str = ""


def _check_series(settings: SeriesSettings) -> None:
    if not settings.title.strip() or len(settings.title) > 160:
        raise InvalidInput(_("Bitte geben Sie einen Titel mit höchstens 160 Zeichen an."))
    if len(settings.description) > 4000:
        raise InvalidInput(_("Die Beschreibung ist zu lang (höchstens 4000 Zeichen)."))
    if settings.audience not in AUDIENCES:
        raise InvalidInput()
    if not 5 <= settings.default_minutes <= 240:
        raise InvalidInput(_("Bitte geben Sie eine Dauer von 5 bis 240 Minuten an."))
    if settings.video_url and not is_web_link(settings.video_url):
        raise InvalidInput(_("Bitte geben Sie einen vollständigen Link mit https:// an."))
    if settings.capacity is not None and not 1 <= settings.capacity <= 10000:
        raise InvalidInput(
            _("Bitte geben Sie 1 bis 10000 Plätze an oder lassen Sie das Feld leer.")
        )
    if not 0 <= settings.deadline_hours <= 24 * 14:
        raise InvalidInput(_("Bitte geben Sie 0 bis 336 Stunden an."))


def create_series(settings: SeriesSettings, *, actor: User, now: datetime) -> Series:
    if not access.may_create(actor):
        raise Forbidden()
    _check_series(settings)
    series = Series(
        title=settings.title.strip(),
        description=settings.description.strip(),
        audience=settings.audience,
        default_minutes=settings.default_minutes,
        video_url=settings.video_url.strip(),
        capacity=settings.capacity,
        deadline_hours=settings.deadline_hours,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(series)
    db.session.flush()
    return series


def update_series(series: Series, settings: SeriesSettings, *, actor: User, now: datetime) -> None:
    """Change the settings; a new capacity applies to every date not yet started: refused when
    a date has more confirmed people, and a larger one promotes from the waiting lists."""
    if not access.organizes(series, actor):
        raise Forbidden()
    _check_series(settings)
    link_changed = settings.video_url.strip() != series.video_url
    upcoming = [i for i in series.impulses if i.cancelled_at is None and i.starts_at > now]
    for impulse in upcoming:
        lock_versioned(Impulse, impulse.id)
        if settings.capacity is not None and impulse.confirmed_count > settings.capacity:
            raise InvalidInput(
                _(
                    "Für einen Termin sind schon %(count)s Personen angemeldet. Die Plätze können "
                    "nicht unter diese Zahl gesenkt werden.",
                    count=impulse.confirmed_count,
                )
            )
    series.title = settings.title.strip()
    series.description = settings.description.strip()
    series.audience = settings.audience
    series.default_minutes = settings.default_minutes
    series.video_url = settings.video_url.strip()
    series.deadline_hours = settings.deadline_hours
    series.capacity = settings.capacity
    for impulse in upcoming:
        set_capacity(impulse, settings.capacity, now=now)
        if link_changed:
            mailing.send_update(impulse, now=now)
    db.session.flush()


def set_capacity(impulse: Impulse, capacity: int | None, *, now: datetime) -> int:
    """New capacity of one date (under its lock): refused below the confirmed count; the free
    places go to the head of the waiting list in this transaction. Returns how many moved up."""
    impulse = lock_versioned(Impulse, impulse.id)
    if capacity is not None and capacity < impulse.confirmed_count:
        raise InvalidInput(_("So viele Personen sind schon angemeldet."))
    db.session.execute(
        update(Impulse)
        .where(Impulse.id == impulse.id)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(impulse)
    return registrations.fill_free_places(impulse, now=now)


def _check_impulse(series: Series, settings: ImpulseSettings, now: datetime, ignore: int | None):
    if not settings.title.strip() or len(settings.title) > 160:
        raise InvalidInput(_("Bitte geben Sie einen Titel mit höchstens 160 Zeichen an."))
    if len(settings.speaker_name) > 120 or len(settings.abstract) > 4000:
        raise InvalidInput(_("Ein Text ist zu lang."))
    if not 5 <= settings.minutes <= 240:
        raise InvalidInput(_("Bitte geben Sie eine Dauer von 5 bis 240 Minuten an."))
    if settings.starts_at <= now:
        raise InvalidInput(_("Termine in der Vergangenheit können nicht angelegt werden."))
    ends_at = settings.starts_at + timedelta(minutes=settings.minutes)
    for other in db.session.scalars(
        select(Impulse).where(Impulse.series_id == series.id, Impulse.cancelled_at.is_(None))
    ):
        if other.id != ignore and other.starts_at < ends_at and settings.starts_at < other.ends_at:
            raise InvalidInput(_("Dieser Termin überschneidet sich mit einem anderen der Reihe."))


def add_impulses(
    series: Series, items: list[ImpulseSettings], *, actor: User, now: datetime
) -> list[Impulse]:
    """Add dates (one, or all of a rule): all or none. Everyone registered for the whole
    series is not registered automatically for new dates."""
    if not access.organizes(series, actor):
        raise Forbidden()
    if not items:
        raise InvalidInput(_("Die Regel ergibt keinen Termin."))
    made: list[Impulse] = []
    for item in items:
        _check_impulse(series, item, now, None)
        impulse = Impulse(
            series_id=series.id,
            title=item.title.strip(),
            speaker_name=item.speaker_name.strip(),
            abstract=item.abstract.strip(),
            starts_at=item.starts_at,
            minutes=item.minutes,
            capacity=series.capacity,
            confirmed_count=0,
            next_position=1,
            sequence=0,
            version=0,
        )
        db.session.add(impulse)
        db.session.flush()  # the next date's overlap check sees this one
        reminders.schedule_for(impulse, now=now)
        made.append(impulse)
    return made


def edit_impulse(impulse: Impulse, settings: ImpulseSettings, *, actor: User, now: datetime):
    """Change a date; a new time or text goes to the confirmed people as a calendar update and
    moves the reminders."""
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    if impulse.cancelled_at is not None or impulse.starts_at <= now:
        raise InvalidInput(_("Dieser Termin kann nicht mehr geändert werden."))
    impulse = lock_versioned(Impulse, impulse.id)
    _check_impulse(impulse.series, settings, now, impulse.id)
    moved = settings.starts_at != impulse.starts_at or settings.minutes != impulse.minutes
    impulse.title = settings.title.strip()
    impulse.speaker_name = settings.speaker_name.strip()
    impulse.abstract = settings.abstract.strip()
    impulse.starts_at = settings.starts_at
    impulse.minutes = settings.minutes
    impulse.sequence += 1
    db.session.flush()
    if moved:
        reminders.schedule_for(impulse, now=now)
        notices.tell_waiting(impulse, change="moved", now=now)
    mailing.send_update(impulse, now=now)


def cancel_impulse(impulse: Impulse, *, actor: User, now: datetime) -> None:
    """Cancel one date: METHOD:CANCEL to everyone invited; its reminders are dropped."""
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    impulse = lock_versioned(Impulse, impulse.id)
    if impulse.cancelled_at is not None:
        return
    if impulse.ends_at <= now:
        raise InvalidInput(_("Dieser Termin ist schon vorbei."))
    impulse.cancelled_at = now
    impulse.sequence += 1
    db.session.flush()
    reminders.drop_for(impulse)
    mailing.send_cancel(impulse, now=now)
    notices.tell_waiting(impulse, change="cancelled", now=now)


def cancel_series(series: Series, *, actor: User, now: datetime) -> int:
    """Cancel every date not yet over (each: METHOD:CANCEL, reminders dropped); returns how
    many dates were cancelled. Past dates and their attendance stay."""
    if not access.organizes(series, actor):
        raise Forbidden()
    upcoming = [i for i in series.impulses if i.cancelled_at is None and i.ends_at > now]
    for impulse in upcoming:
        cancel_impulse(impulse, actor=actor, now=now)
    return len(upcoming)
