"""Demo content: a running series every other Thursday at 08:00 Berlin time, two dates past
and four to come (from the clock), with registrations and a waiting list."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.impulses import demo_people
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.service import registrations, schedule, series

TOPICS = [
    ("Wärmeplanung in 30 Minuten", "Dr. Anja Kurz"),
    ("Fördermittel für Kitas", "Jonas Brandt"),
    ("KI im Bürgerbüro", "Meike Olsen"),
    ("Starkregenvorsorge", "Tobias Renn"),
    ("Ehrenamt gewinnen", "Sevgi Aydın"),
    ("Haushalt in der Krise", "Paul Weiß"),
]


def seed(users: dict[str, User], now: datetime) -> None:
    orga = users["orga@peerlab.example"]
    members = [u for u in users.values() if u.role == "member"]
    berlin = ZoneInfo("Europe/Berlin")
    today = now.astimezone(berlin).date()
    # The Thursday four weeks back: dates 1 and 2 are past, 3 to 6 to come.
    first = today - timedelta(days=(today.weekday() - 3) % 7) - timedelta(weeks=4)
    made = series.create_series(
        series.SeriesSettings(
            title="Kurzimpulse für die Verwaltungsspitze",
            description="Sechs Inputs à 30 Minuten, alle zwei Wochen donnerstags um 8 Uhr.",
            audience="public",
            default_minutes=30,
            video_url="https://meet.example.org/kurzimpulse",
            capacity=3,
            deadline_hours=1,
        ),
        actor=orga,
        now=now - timedelta(weeks=6),
    )
    starts = schedule.expand(schedule.Rule(first=first, at=time(8, 0), count=6, interval=2))
    series.add_impulses(
        made,
        [
            series.ImpulseSettings(title=t, speaker_name=s, starts_at=at, minutes=30)
            for (t, s), at in zip(TOPICS, starts, strict=True)
        ],
        actor=orga,
        now=now - timedelta(weeks=6),
    )
    for person in members[:4]:  # three places: the fourth waits for every date
        registrations.register_series(made, person, now=now - timedelta(weeks=5))
    for impulse in made.impulses:
        if impulse.ends_at < now:
            for row in db.session.query(Registration).filter_by(
                impulse_id=impulse.id, status="confirmed"
            ):
                row.attended = True
    db.session.flush()
    assert all(isinstance(i, Impulse) for i in made.impulses)
    demo_people.seed(made, orga, now)
