"""A session's date in calendars: a confidential date. Every download, feed and invitation
says only "Vertraulicher Termin (peerlab)" with the link to the session page (which shows the
rest to participants only); no title, no description, no video room (`CalEvent.sealed`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.coaching import access
from peerlab.coaching.models import SPACE_KIND, CoachingPhase, CoachingSession
from peerlab.coaching.service import setup
from peerlab.extensions import db
from peerlab.ical.model import SEALED_SUMMARY, CalEvent

KIND = SPACE_KIND


def actor_of(user: User) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


class SessionCalendar:
    kind = KIND

    def event(self, subject_id: int) -> CalEvent | None:
        session = db.session.get(CoachingSession, subject_id)
        if session is None:
            return None
        return self._event(session, setup.planned_end(session))

    def events(self, subject_ids: list[int]) -> dict[int, CalEvent]:
        """Many sessions in two queries (invitation lists): the sessions, their lengths."""
        rows = db.session.scalars(
            select(CoachingSession).where(CoachingSession.id.in_(subject_ids))
        ).all()
        return self._events(rows)

    def _events(self, rows) -> dict[int, CalEvent]:
        minutes = _planned_minutes([s.id for s in rows])
        return {
            s.id: self._event(s, s.starts_at + timedelta(minutes=minutes.get(s.id, 0)))
            for s in rows
        }

    def _event(self, session: CoachingSession, ends_at: datetime) -> CalEvent:
        from zoneinfo import ZoneInfo

        from peerlab.core.urls import absolute

        zone = ZoneInfo(session.zone)
        return CalEvent(
            uid=f"coaching-session-{session.id}@{current_app.config['MAIL_DOMAIN']}",
            summary=SEALED_SUMMARY,
            starts_at=session.starts_at.astimezone(zone),
            ends_at=ends_at.astimezone(zone),
            url=absolute("coaching.show", session_id=session.id),
            confidential=True,
            sealed=True,
            ended=session.started_at is not None,
            tz=session.zone,
        )

    def can_view(self, subject_id: int, user: User) -> bool:
        return access.may_see_content(db.session.get(CoachingSession, subject_id), actor_of(user))

    def events_for(self, user: User, now: datetime) -> list[CalEvent]:
        rows = db.session.scalars(
            access.POLICY.visible(
                select(CoachingSession).order_by(CoachingSession.id), actor_of(user)
            )
        ).all()
        return list(self._events(rows).values())


def _planned_minutes(session_ids: list[int]) -> dict[int, int]:
    """The sum of the phases' minutes per session (`setup.planned_end`), in one query."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        select(CoachingPhase.session_id, func.sum(CoachingPhase.minutes))
        .where(CoachingPhase.session_id.in_(session_ids))
        .group_by(CoachingPhase.session_id)
    )
    return {session_id: int(total) for session_id, total in rows}


def invite(session: CoachingSession, user: User, *, organizer: User | None, now: datetime) -> None:
    """Mail the participant the invitation (the confidential date) through core ical."""
    from peerlab.ical import invitations

    invitations.invite(KIND, session.id, user, now=now, organizer=organizer)
