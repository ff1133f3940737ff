"""Registrations: places and the waiting list, held by the database.

Every change runs under the impulse's row lock (`lock_versioned`); a place is taken only by the
conditional UPDATE in `_take_place` (the CHECK on `impulses` backs it), never by counting first.
A freed or added place goes to the head of the waiting list in the same transaction; only the
mails that follow are queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, or_, select, update
from sqlalchemy.orm import joinedload

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.core.locking import lock_versioned
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.impulses.service import mailing

DEFAULT_PROMOTION_STOP_HOURS = 2


def promotion_stop(impulse: Impulse) -> datetime:
    """From this moment nobody moves up by themselves (the organizer sees the free place)."""
    hours = current_app.config.get("IMPULSES_PROMOTION_STOP_HOURS", DEFAULT_PROMOTION_STOP_HOURS)
    return impulse.starts_at - timedelta(hours=hours)


def registration_closes(impulse: Impulse) -> datetime:
    return impulse.starts_at - timedelta(hours=impulse.series.deadline_hours)


def is_open(impulse: Impulse, now: datetime) -> bool:
    return impulse.cancelled_at is None and now < registration_closes(impulse)


def holds(impulse: Impulse, user: User | None, *conditions: ColumnElement[bool]) -> bool:
    """Whether the signed-in `user` has a registration for `impulse` that meets `conditions`
    (nobody signed in: False)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Registration.impulse_id == impulse.id,
                    Registration.user_id == user.id,
                    *conditions,
                )
            )
        )
    )


def _take_place(impulse_id: int) -> bool:
    """One place, if one is free: a conditional UPDATE, so capacity is never exceeded."""
    return (
        db.session.execute(
            update(Impulse)
            .where(
                Impulse.id == impulse_id,
                or_(Impulse.capacity.is_(None), Impulse.confirmed_count < Impulse.capacity),
            )
            .values(confirmed_count=Impulse.confirmed_count + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _free_place(impulse_id: int) -> None:
    db.session.execute(
        update(Impulse)
        .where(Impulse.id == impulse_id, Impulse.confirmed_count > 0)
        .values(confirmed_count=Impulse.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )


def _someone_waits(impulse_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Registration.impulse_id == impulse_id, Registration.status == "waiting"
                )
            )
        )
    )


def mine(impulse: Impulse, user: User) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.impulse_id == impulse.id, Registration.user_id == user.id
        )
    )


def mine_in_series(series: Series, user: User) -> dict[int, Registration]:
    """The user's registration (any status) per date of the series, in one query."""
    rows = db.session.scalars(
        select(Registration)
        .join(Impulse, Impulse.id == Registration.impulse_id)
        .where(Impulse.series_id == series.id, Registration.user_id == user.id)
    )
    return {row.impulse_id: row for row in rows}


def _register_one(impulse_id: int, user: User, now: datetime) -> Registration | None:
    """Register under the impulse's lock; None when the date takes no registrations (past the
    deadline, cancelled). Someone already registered keeps their place or position."""
    impulse = lock_versioned(Impulse, impulse_id)
    if not is_open(impulse, now):
        return None
    row = mine(impulse, user)
    if row is not None and row.status != "cancelled":
        return row
    position = impulse.next_position
    impulse.next_position = position + 1
    db.session.flush()
    confirmed = not _someone_waits(impulse.id) and _take_place(impulse.id)
    if row is None:
        row = Registration(
            impulse_id=impulse.id,
            user_id=user.id,
            created_at=now,
            attended=False,
            remind_24h=True,
            remind_1h=True,
        )
        db.session.add(row)
    row.status = "confirmed" if confirmed else "waiting"
    row.position = position
    row.confirmed_at = now if confirmed else None
    row.cancelled_at = None
    db.session.flush()
    db.session.refresh(impulse)
    return row


def register(impulse: Impulse, user: User, *, now: datetime) -> Registration:
    """Register for one date: confirmed where a place is free, else on the waiting list."""
    if not access.may_register(impulse.series, user):
        raise Forbidden()
    row = _register_one(impulse.id, user, now)
    if row is None:
        raise InvalidInput(_("Für diesen Termin ist keine Anmeldung mehr möglich."))
    mailing.confirm(user, [row], now=now)
    return row


def register_series(series: Series, user: User, *, now: datetime) -> list[Registration]:
    """One click for every open date of the series; one confirmation mail listing them all."""
    if not access.may_register(series, user):
        raise Forbidden()
    ids = [i.id for i in series.impulses if is_open(i, now)]
    rows = [row for impulse_id in ids if (row := _register_one(impulse_id, user, now))]
    if not rows:
        raise InvalidInput(_("In dieser Reihe ist keine Anmeldung mehr möglich."))
    mailing.confirm(user, rows, now=now)
    return rows


def cancel(impulse: Impulse, user: User, *, now: datetime, tell_them: bool = True) -> Registration:
    """Give a place back ("Ich kann diesmal nicht"): frees only this date; the place goes to
    the head of the waiting list in the same transaction. `tell_them=False` (account
    erasure): no calendar cancellation to the person leaving."""
    impulse = lock_versioned(Impulse, impulse.id)
    row = mine(impulse, user)
    if row is None or row.status == "cancelled":
        raise InvalidInput(_("Sie sind für diesen Termin nicht angemeldet."))
    if impulse.ends_at <= now:
        raise InvalidInput(_("Dieser Termin ist schon vorbei."))
    was_confirmed = row.status == "confirmed"
    row.status = "cancelled"
    row.cancelled_at = now
    db.session.flush()
    if was_confirmed:
        _free_place(impulse.id)
        db.session.refresh(impulse)
        if tell_them:
            mailing.withdraw(impulse, user, now=now)
        fill_free_places(impulse, now=now)
    return row


def fill_free_places(impulse: Impulse, *, now: datetime) -> int:
    """Move the head of the waiting list up while places are free (the caller holds the
    lock); stops `promotion_stop` before the start. Returns how many moved up."""
    if impulse.cancelled_at is not None or now >= promotion_stop(impulse):
        return 0
    moved = 0
    while True:
        head = db.session.scalar(
            select(Registration)
            .where(Registration.impulse_id == impulse.id, Registration.status == "waiting")
            .order_by(Registration.position)
            .limit(1)
        )
        if head is None or not _take_place(impulse.id):
            break
        head.status = "confirmed"
        head.confirmed_at = now
        db.session.flush()
        mailing.moved_up(head, now=now)
        moved += 1
    db.session.refresh(impulse)
    return moved


def set_attended(impulse: Impulse, ticked: set[int], *, actor: User) -> None:
    """Attendance, ticked during or after the date by the organizer."""
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    for row in db.session.scalars(
        select(Registration).where(
            Registration.impulse_id == impulse.id, Registration.status == "confirmed"
        )
    ):
        row.attended = row.id in ticked
    db.session.flush()


def listing(impulse: Impulse) -> tuple[list[Registration], list[Registration]]:
    """Confirmed people and the waiting list (in order), for the organizer only."""
    rows = db.session.scalars(
        select(Registration)
        .options(joinedload(Registration.user))
        .where(Registration.impulse_id == impulse.id, Registration.status != "cancelled")
        .order_by(Registration.position)
    ).all()
    return [r for r in rows if r.status == "confirmed"], [r for r in rows if r.status == "waiting"]


def set_reminders(series: Series, user: User, *, day_before: bool, hour_before: bool) -> int:
    """Switch the reminders for all of this person's registrations in the series."""
    rows = db.session.scalars(
        select(Registration)
        .join(Impulse, Impulse.id == Registration.impulse_id)
        .where(Impulse.series_id == series.id, Registration.user_id == user.id)
    ).all()
    if not rows:
        raise InvalidInput(_("Sie sind für keinen Termin dieser Reihe angemeldet."))
    for row in rows:
        row.remind_24h, row.remind_1h = day_before, hour_before
    db.session.flush()
    return len(rows)
