"""The data of the HTTP benchmark, made through the app's own services (bench.http).

One person, Uta, has `dates` dates across the formats, all in the future: Lean Coffee rounds
she is invited to (70 %), impulse dates she holds a place for (20 %, series of up to 25
dates), circles she belongs to (5 %, each one weekly series of twelve meetings in the feed)
and peer-coaching sessions where she advises (5 %). Her next round has topics on its board.
She gets a signed session cookie (accounts.sessions.open_session, the app's own session
interface) and a personal feed token, as a browser and a calendar app would have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

USER_AGENT = "peerlab-bench-http/1"
BOARD_TOPICS = 12
SERIES_SIZE = 25
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Seeded:
    cookie: str  # the Cookie header of Uta's browser
    feed_path: str  # /kalender/feed/<token>.ics
    board_path: str  # /runden/<id> of her next round
    counts: dict[str, int]  # dates per format


def split(dates: int) -> dict[str, int]:
    """How many dates of each format make `dates` (at least one of each)."""
    circles = max(1, dates * 5 // 100)
    coaching = max(1, dates * 5 // 100)
    impulses = max(1, dates * 20 // 100)
    rounds = max(1, dates - circles - coaching - impulses)
    return {"rounds": rounds, "impulses": impulses, "circles": circles, "coaching": coaching}


def seed(app, dates: int, now: datetime) -> Seeded:
    """Create everything in `app`'s database (schema included) and commit."""
    from peerlab.accounts import service as accounts
    from peerlab.extensions import db
    from peerlab.ical import service as calendar

    counts = split(dates)
    with app.app_context():
        db.create_all()

        def person(key: str, name: str, role: str = "member"):
            return accounts.create_user(
                email=f"{key}@bench.peerlab.example", name=name, role=role, now=now
            )

        uta = person("uta", "Uta Umfang")
        orga = person("olga", "Olga Orga", "organizer")
        helpers = [person(f"p{i}", f"Person {i}") for i in range(4)]
        db.session.commit()
        board = _rounds(orga, uta, counts["rounds"], now)
        _impulses(orga, uta, counts["impulses"], now)
        _circles(orga, uta, counts["circles"], now)
        _coaching(orga, uta, helpers, counts["coaching"], now)
        token = calendar.regenerate_feed_token(uta, now)
        db.session.commit()
        cookie = _cookie(app, uta, now)
        db.session.remove()
        db.engine.dispose()
    return Seeded(cookie, f"/kalender/feed/{token}.ics", f"/runden/{board}", counts)


def _rounds(orga, uta, count: int, now: datetime) -> int:
    """`count` rounds, one a day from tomorrow; the first gets topics. Returns its id."""
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import rounds, topics

    first = None
    for n in range(count):
        rnd = rounds.create_round(
            rounds.RoundSettings(
                title=f"Runde {n + 1}", starts_at=now + timedelta(days=1 + n, hours=n % 5)
            ),
            creator=orga,
            invitees=[uta],
            now=now,
        )
        if first is None:
            first = rnd
        if n % 50 == 49:
            db.session.commit()
    db.session.commit()
    from sqlalchemy import select

    author = db.session.scalar(
        select(Participant).where(Participant.round_id == first.id, Participant.user_id == uta.id)
    )
    for t in range(BOARD_TOPICS):
        topics.add_topic(first, author, f"Thema {t + 1}", anonymous=t % 3 == 0, now=now)
    db.session.commit()
    return first.id


def _impulses(orga, uta, count: int, now: datetime) -> None:
    from peerlab.extensions import db
    from peerlab.impulses.service import registrations, series

    made = 0
    while made < count:
        size = min(SERIES_SIZE, count - made)
        one = series.create_series(
            series.SeriesSettings(
                title=f"Mittagsimpulse {made // SERIES_SIZE + 1}",
                capacity=20,
                video_url="https://meet.example.org/impulse",
            ),
            actor=orga,
            now=now,
        )
        series.add_impulses(
            one,
            [
                series.ImpulseSettings(
                    title=f"Impuls {made + n + 1}",
                    starts_at=now + timedelta(days=2 + made + n, hours=12),
                    minutes=30,
                )
                for n in range(size)
            ],
            actor=orga,
            now=now,
        )
        db.session.flush()
        for impulse in one.impulses:
            registrations.register(impulse, uta, now=now)
        db.session.commit()
        made += size


def _circles(orga, uta, count: int, now: datetime) -> None:
    from peerlab.accounts.actors import Actor
    from peerlab.circles.service import circles
    from peerlab.extensions import db

    start = now.astimezone(BERLIN).date() + timedelta(days=7)
    for n in range(count):
        circle = circles.create_circle(
            circles.CircleSettings(
                name=f"Circle {n + 1}",
                weekday=n % 5,
                local_time=time(8 + n % 10, 0),
                zone="Europe/Berlin",
                start_date=start,
                video_url="https://meet.example.org/circle",
                language="de",
                invitees=(uta.id,),
                join=True,
            ),
            creator=orga,
            now=now,
        )
        circles.answer_invitation(
            circle.id, Actor("user", uta.id, uta.display_name, user=uta), accept=True, now=now
        )
        db.session.commit()


def _coaching(orga, uta, helpers, count: int, now: datetime) -> None:
    from peerlab.coaching.service import setup
    from peerlab.extensions import db

    giver, moderator, *advisers = helpers
    for n in range(count):
        setup.create_session(
            setup.SessionSetup(
                title=f"Fall {n + 1}",
                starts_at=now + timedelta(days=3 + n, hours=15),
                case_giver=giver.id,
                moderator=moderator.id,
                advisers=(uta.id, *(a.id for a in advisers)),
            ),
            creator=orga,
            now=now,
        )
        db.session.commit()


def _cookie(app, user, now: datetime) -> str:
    from flask import session

    from peerlab.accounts.sessions import open_session
    from peerlab.extensions import db

    serializer = app.session_interface.get_signing_serializer(app)
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}):
        open_session(user, now=now)
        db.session.commit()
        return f"peerlab_session={serializer.dumps(dict(session))}"
