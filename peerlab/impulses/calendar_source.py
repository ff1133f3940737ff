"""Impulse dates for the calendar package: downloads, personal feeds and invitations by mail."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical.model import CalEvent
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration

KIND = "impulses.impulse"


def uid_of(impulse_id: int) -> str:
    return f"impulse-{impulse_id}@{current_app.config['MAIL_DOMAIN']}"


class ImpulseCalendar:
    kind = KIND

    def event(self, subject_id: int) -> CalEvent | None:
        impulse = db.session.get(Impulse, subject_id)
        return None if impulse is None else self._event(impulse)

    def events(self, subject_ids: list[int]) -> dict[int, CalEvent]:
        """Many dates in one query (invitation lists, series feeds), their series joined."""
        rows = db.session.scalars(
            select(Impulse)
            .options(joinedload(Impulse.series))
            .where(Impulse.id.in_(subject_ids))
            .order_by(Impulse.starts_at, Impulse.id)
        )
        return {impulse.id: self._event(impulse) for impulse in rows}

    def _event(self, impulse: Impulse) -> CalEvent:
        from peerlab.core.urls import absolute

        series = impulse.series
        speaker = f" ({impulse.speaker_name})" if impulse.speaker_name else ""
        return CalEvent(
            uid=uid_of(impulse.id),
            summary=f"{series.title}: {impulse.title}{speaker}",
            starts_at=impulse.starts_at,
            ends_at=impulse.ends_at,
            description=impulse.abstract or series.description,
            url=absolute("impulses.show_series", series_id=series.id),
            location=series.video_url or None,
            status="CANCELLED" if impulse.cancelled_at else "CONFIRMED",
        )

    def can_view(self, subject_id: int, user: User) -> bool:
        impulse = db.session.get(Impulse, subject_id)
        return impulse is not None and access.may_view(impulse.series, user)

    def events_for(self, user: User, now: datetime) -> list[CalEvent]:
        """My confirmed dates (from 90 days back), in one query."""
        rows = db.session.scalars(
            select(Impulse)
            .options(joinedload(Impulse.series))
            .join(Registration, Registration.impulse_id == Impulse.id)
            .where(
                Registration.user_id == user.id,
                Registration.status == "confirmed",
                Impulse.starts_at >= now - timedelta(days=90),
                Impulse.cancelled_at.is_(None),
            )
            .order_by(Impulse.starts_at, Impulse.id)
        )
        return [self._event(impulse) for impulse in rows]
