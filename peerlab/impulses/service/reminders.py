"""Reminders 24 h and 1 h before a date, as due items (core.due).

One due item per (impulse, reminder kind), moved when the start moves. When it runs, each
person confirmed by the reminder's time gets at most one mail per (registration, kind): the
outbox's unique cause key holds that across restarts and processes. Waiting and cancelled people
get none, and a reminder is not sent late (after `LATE_LIMIT` past its time, or after the start).
Offsets are absolute durations before the start (UTC), so a DST change between does not shift
them by an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from peerlab.core import due
from peerlab.core.due import DueItem
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Registration

DUE_KIND = "impulses.reminder"
SUBJECT = "impulses.impulse"
OFFSETS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
LATE_LIMIT = timedelta(minutes=30)


def drop_for(impulse: Impulse) -> None:
    db.session.execute(
        delete(DueItem).where(
            DueItem.kind == DUE_KIND,
            DueItem.subject_kind == SUBJECT,
            DueItem.subject_id == impulse.id,
            DueItem.done_at.is_(None),
        )
    )


def schedule_for(impulse: Impulse, *, now: datetime) -> None:
    """(Re)plan both reminders of a date; those whose time has passed are not planned."""
    drop_for(impulse)
    for name, offset in OFFSETS.items():
        due_at = impulse.starts_at - offset
        if due_at > now:
            due.schedule(
                DUE_KIND,
                due_at=due_at,
                now=now,
                subject=(SUBJECT, impulse.id),
                payload={"reminder": name, "starts_at": impulse.starts_at.isoformat()},
            )


def send_due(item: DueItem, now: datetime) -> None:
    """The due-item handler: mail every person confirmed at the reminder's time."""
    from peerlab.impulses.service import release
    from peerlab.impulses.service.mailing import _language, _line
    from peerlab.notify.outbox import enqueue_template

    impulse = db.session.get(Impulse, item.subject_id)
    name = item.payload.get("reminder")
    if impulse is None or impulse.cancelled_at is not None or name not in OFFSETS:
        return
    if item.payload.get("starts_at") != impulse.starts_at.isoformat():
        return  # the date moved; its new reminders are separate items
    if now > item.due_at + LATE_LIMIT or now >= impulse.starts_at:
        return  # not sent late
    rows = db.session.scalars(
        select(Registration).where(
            Registration.impulse_id == impulse.id,
            Registration.status == "confirmed",
            Registration.confirmed_at <= item.due_at,
            (Registration.remind_24h if name == "24h" else Registration.remind_1h).is_(True),
        )
    ).all()
    series = impulse.series
    for row in rows:
        user = row.user
        enqueue_template(
            "impulses_reminder",
            to=user.email,
            language=_language(user),
            now=now,
            user_id=user.id,
            cause_key=f"impulses.reminder:{row.id}:{name}",
            about=(SUBJECT, impulse.id),
            recipient=user,
            series=series,
            line=_line(row, user),
            reminder=name,
            video_url=series.video_url,
            page_url=absolute("impulses.show_series", series_id=series.id),
            release_url=absolute("impulse_ops.release_place", token=release.token_for(row)),
        )
