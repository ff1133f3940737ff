"""A circle's twelve meetings as ONE weekly series (COUNT 12) at local time in the circle's
zone: downloads, personal feeds and the invitation mailed to a member who joins."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.models import MEETING_MINUTES, SPACE_KIND, Circle
from peerlab.extensions import db
from peerlab.ical.model import CalEvent

KIND = SPACE_KIND


def actor_of(user: User) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


class CircleCalendar:
    kind = KIND

    def event(self, subject_id: int) -> CalEvent | None:
        circle = db.session.get(Circle, subject_id)
        if circle is None:
            return None
        return self._event(circle, schedule.changes_of(circle))

    def events(self, subject_ids: list[int]) -> dict[int, CalEvent]:
        """Many circles in two queries (invitation lists): the circles, then their changes."""
        rows = db.session.scalars(select(Circle).where(Circle.id.in_(subject_ids))).all()
        changes = schedule.changes_of_many(c.id for c in rows)
        return {c.id: self._event(c, changes[c.id]) for c in rows}

    def _event(self, circle: Circle, changes: list[schedule.Change]) -> CalEvent:
        from peerlab.core.urls import absolute

        count = schedule.slot_count(changes)
        rule = schedule.slots(
            circle.start_date, circle.weekday, circle.local_time, circle.zone, count
        )
        first = rule[0].astimezone(_zone(circle))
        duration = timedelta(minutes=MEETING_MINUTES)
        return CalEvent(
            uid=f"circle-{circle.id}@{current_app.config['MAIL_DOMAIN']}",
            summary=f"Working Out Loud Circle: {circle.name}",
            starts_at=first,
            ends_at=first + duration,
            description="Working Out Loud Circle",
            url=absolute("circles.show", circle_id=circle.id),
            location=circle.video_url or None,
            # skipped dates are EXDATEs, each "an das Ende anhängen" one more slot (COUNT),
            # a moved date an override with its RECURRENCE-ID: always the same series
            rrule={"FREQ": "WEEKLY", "COUNT": count},
            exdates=tuple(c.occurrence for c in changes if c.kind in ("append", "drop")),
            overrides=tuple(
                CalEvent(
                    uid="",
                    summary=f"Working Out Loud Circle: {circle.name}",
                    starts_at=c.moved_to,
                    ends_at=c.moved_to + duration,
                    recurrence_id=c.occurrence,
                )
                for c in changes
                if c.kind == "move" and c.moved_to is not None
            ),
            # check-ins are never in the calendar; the circle's name is: private to members
            confidential=True,
            ended=circle.ended_at is not None,
            tz=circle.zone,
        )

    def can_view(self, subject_id: int, user: User) -> bool:
        return access.may_see_content(db.session.get(Circle, subject_id), actor_of(user))

    def events_for(self, user: User, now: datetime) -> list[CalEvent]:
        rows = db.session.scalars(
            access.POLICY.visible(
                select(Circle).where(Circle.ended_at.is_(None)).order_by(Circle.id),
                actor_of(user),
            )
        ).all()
        changes = schedule.changes_of_many(c.id for c in rows)
        return [self._event(c, changes[c.id]) for c in rows]


def _zone(circle: Circle):
    from zoneinfo import ZoneInfo

    return ZoneInfo(circle.zone)


def invite(circle: Circle, user: User, *, organizer: User | None, now: datetime) -> None:
    """Mail the member the one recurring invitation (sent once; again only after a cancel)."""
    from peerlab.ical import invitations

    invitations.invite(KIND, circle.id, user, now=now, organizer=organizer)
