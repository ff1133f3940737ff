"""Fixtures for impulse series: an organizer, a series and quick users (no password hashing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.impulses.models import Registration
from peerlab.notify.models import OutboxMail

_counter = {"n": 0}


def quick_user(now, role="member", name="Person"):
    from peerlab.accounts import service

    _counter["n"] += 1
    return service.create_user(
        email=f"imp{_counter['n']}@kommune.example", name=name, role=role, now=now
    )


def make_series(now, orga, *, capacity=1, dates=1, hours_ahead=48, **settings):
    """A series with `dates` impulses, the first `hours_ahead` hours from now, a week apart."""
    from peerlab.impulses.service import series

    made = series.create_series(
        series.SeriesSettings(
            title="Kurzimpulse",
            capacity=capacity,
            video_url="https://meet.example.org/k",
            **settings,
        ),
        actor=orga,
        now=now,
    )
    series.add_impulses(
        made,
        [
            series.ImpulseSettings(
                title=f"Impuls {n + 1}",
                starts_at=now + timedelta(hours=hours_ahead) + timedelta(weeks=n),
                minutes=30,
            )
            for n in range(dates)
        ],
        actor=orga,
        now=now,
    )
    db.session.commit()
    return made


def mails_to(user, kind: str | None = None) -> int:
    stmt = select(func.count()).select_from(OutboxMail).where(OutboxMail.user_id == user.id)
    if kind:
        stmt = stmt.where(OutboxMail.kind == kind)
    return db.session.scalar(stmt)


def statuses(impulse) -> list[tuple[int, str]]:
    return [
        (r.user_id, r.status)
        for r in db.session.scalars(
            select(Registration)
            .where(Registration.impulse_id == impulse.id)
            .order_by(Registration.position)
        )
    ]


@pytest.fixture
def orga(app, now):
    user = quick_user(now, "organizer", "Olga Orga")
    db.session.commit()
    return user
