"""A date with people around it, for the speaker, question and feedback tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Series
from peerlab.impulses.service import registrations
from tests.impulses.conftest import make_series


@dataclass
class Cast:
    series: Series
    impulse: Impulse
    orga: object
    attendees: list
    absent: object  # registered, not marked as attending

    @property
    def after(self) -> datetime:
        """A moment inside the feedback week."""
        return self.impulse.ends_at + timedelta(hours=1)

    @property
    def closed(self) -> datetime:
        """A moment after the feedback week."""
        return self.impulse.ends_at + timedelta(days=7, minutes=1)


def with_people(now, make_user, *, attendees: int = 2, audience="network", dates=1) -> Cast:
    orga = make_user("organizer", name="Olga Orga")
    series = make_series(now, orga, capacity=None, audience=audience, dates=dates)
    impulse = series.impulses[0]
    people = [make_user(name=f"Teilnehmerin {n}") for n in range(attendees)]
    absent = make_user(name="Abwesend Anton")
    rows = [registrations.register(impulse, p, now=now) for p in people]
    registrations.register(impulse, absent, now=now)
    registrations.set_attended(impulse, {r.id for r in rows}, actor=orga)
    db.session.commit()
    return Cast(series, impulse, orga, people, absent)
