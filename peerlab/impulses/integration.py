"""What impulse series contribute elsewhere: dashboard, join link, export and erasure."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from peerlab.accounts.models import User
from peerlab.core.joining import JoinTarget
from peerlab.extensions import db
from peerlab.impulses.calendar_source import KIND
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.service import people
from peerlab.pages.dashboard import DashboardPart, DateItem


def _ics_url(impulse_id: int) -> str | None:
    try:
        from peerlab.ical.routes import download_url

        return download_url(KIND, impulse_id)
    except Exception:  # the calendar routes are not registered (a trimmed test app)
        return None


def dashboard(user: User, now: datetime) -> DashboardPart:
    """My next impulses (confirmed places)."""
    part = DashboardPart()
    rows = db.session.scalars(
        select(Impulse)
        .options(joinedload(Impulse.series))  # the series' titles in the same query
        .join(Registration, Registration.impulse_id == Impulse.id)
        .where(
            Registration.user_id == user.id,
            Registration.status == "confirmed",
            Impulse.cancelled_at.is_(None),
            Impulse.starts_at >= now - timedelta(hours=2),
        )
        .order_by(Impulse.starts_at)
        .limit(10)
    ).all()
    for impulse in rows:
        part.dates.append(
            DateItem(
                title=f"{impulse.series.title}: {impulse.title}",
                starts_at=impulse.starts_at,
                url=url_for("impulses.show_series", series_id=impulse.series_id),
                format_label=_("Kurzimpuls"),
                ics_url=_ics_url(impulse.id),
                kind=KIND,
                subject_id=impulse.id,
            )
        )
    return part


def join_target(impulse_id: int, user: User) -> JoinTarget | None:
    """ "Jetzt teilnehmen": the video room, for people with a confirmed place (and organizers)."""
    from peerlab.impulses import access

    impulse = db.session.get(Impulse, impulse_id)
    if impulse is None or not impulse.series.video_url:
        return None
    row = db.session.scalar(
        select(Registration).where(
            Registration.impulse_id == impulse.id, Registration.user_id == user.id
        )
    )
    confirmed = row is not None and row.status == "confirmed"
    if not confirmed and not access.organizes(impulse.series, user):
        return None
    return JoinTarget(
        url=impulse.series.video_url,
        starts_at=impulse.starts_at,
        ends_at=impulse.ends_at,
        closed=False,
        cancelled=impulse.cancelled_at is not None,
    )


def export_user(user: User) -> dict:
    rows = db.session.scalars(select(Registration).where(Registration.user_id == user.id)).all()
    return {
        "registrations": [
            {
                "series": row.impulse.series.title,
                "impulse": row.impulse.title,
                "starts_at": row.impulse.starts_at.isoformat(),
                "status": row.status,
                "attended": row.attended,
            }
            for row in rows
        ],
        **people.export_user(user),
    }


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """Registrations are personal data: they go. A confirmed place is given back first, so the
    waiting list moves up."""
    from peerlab.impulses.service import registrations

    for row in db.session.scalars(
        select(Registration).where(
            Registration.user_id == user.id, Registration.status != "cancelled"
        )
    ).all():
        if row.impulse.ends_at > now:
            registrations.cancel(row.impulse, user, now=now, tell_them=False)
    db.session.execute(delete(Registration).where(Registration.user_id == user.id))
    people.erase_user(user)
    db.session.flush()
