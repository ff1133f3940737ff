"""Round dates for the calendar package: downloads, personal feeds and invitations by mail."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.ical.model import CalEvent
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import Participant, Round

KIND = "lean_coffee.round"


def _actor(user: User) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


class RoundCalendar:
    kind = KIND

    def event(self, subject_id: int) -> CalEvent | None:
        rnd = db.session.get(Round, subject_id)
        return None if rnd is None else self._event(rnd)

    def events(self, subject_ids: list[int]) -> dict[int, CalEvent]:
        """Many rounds in one query (invitation lists)."""
        rows = db.session.scalars(select(Round).where(Round.id.in_(subject_ids)))
        return {rnd.id: self._event(rnd) for rnd in rows}

    def _event(self, rnd: Round) -> CalEvent:
        from peerlab.core.urls import absolute

        description = rnd.description or "Lean Coffee"
        url = absolute("lean_coffee.show_round", round_id=rnd.id)
        hooks = access.group_hooks()
        if rnd.group_id is not None and hooks is not None:
            url = hooks.page_url(rnd)  # a group date leads to the group page (members only)
        return CalEvent(
            uid=f"lean-coffee-round-{rnd.id}@{current_app.config['MAIL_DOMAIN']}",
            summary=f"Lean Coffee: {rnd.title}",
            starts_at=rnd.starts_at,
            ends_at=rnd.starts_at + timedelta(minutes=rnd.planned_minutes),
            description=description,
            url=url,
            location=rnd.video_url or None,
            status="CANCELLED" if rnd.cancelled_at else "CONFIRMED",
            confidential=rnd.confidential,
            sealed=rnd.confidential,  # a group's round: "Vertraulicher Termin (peerlab)"
            ended=rnd.phase == "closed",  # closed early: no more answers, no open invitation
        )

    def can_view(self, subject_id: int, user: User) -> bool:
        rnd = db.session.get(Round, subject_id)
        return rnd is not None and access.access_for(rnd, _actor(user)).may_view

    def events_for(self, user: User, now: datetime) -> list[CalEvent]:
        rows = db.session.scalars(
            spaces.visible(
                access.SPACE_KIND,
                select(Round)
                .where(Round.starts_at >= now - timedelta(days=90))
                .order_by(Round.starts_at),
                _actor(user),
            )
        ).all()
        return [self._event(rnd) for rnd in rows]


def invite_all(rnd: Round, *, organizer: User, now: datetime) -> int:
    """Send calendar invitations to every invited user (the facilitator included)."""
    from peerlab.ical import invitations

    people = db.session.scalars(
        select(Participant).where(
            Participant.round_id == rnd.id,
            Participant.user_id.is_not(None),
            Participant.invited.is_(True),
        )
    ).all()
    for participant in people:
        invitations.invite(KIND, rnd.id, participant.user, now=now, organizer=organizer)
    return len(people)


def invite_one(rnd: Round, user: User, *, organizer: User | None, now: datetime) -> None:
    from peerlab.ical import invitations

    invitations.invite(KIND, rnd.id, user, now=now, organizer=organizer)


def send_update(rnd: Round, *, now: datetime) -> int:
    from peerlab.ical import invitations

    return invitations.send_update(KIND, rnd.id, now=now)


def send_cancel(rnd: Round, *, now: datetime) -> int:
    from peerlab.ical import invitations

    return invitations.send_cancel(KIND, rnd.id, now=now)


def download_url(rnd: Round) -> str | None:
    try:
        from peerlab.ical.routes import download_url as ical_download_url

        return ical_download_url(KIND, rnd.id)
    except Exception:  # the calendar routes are not registered (e.g. a trimmed test app)
        return None
