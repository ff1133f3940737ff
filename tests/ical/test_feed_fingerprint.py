"""A personal feed's ETag is its fingerprint: an unchanged feed answers 304 without being
rendered, and a change of any row a calendar source reads gives a new ETag: Lean Coffee rounds
and participants; circles, their members and changed meetings (skipped, skipped and appended,
moved); impulses, series and registrations; peer-coaching sessions, their phases and members;
a confidential group's session and the membership in that group; the calendar's own sequences
and dropped occurrences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.circles.models import Circle
from peerlab.coaching.models import CoachingPhase, CoachingSession
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.ical import builder, service
from peerlab.ical.models import CalendarSequence, CancelledOccurrence
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.lean_coffee.models import Participant, Round
from tests.ical.feed_world import row, url


def impulse_of(world) -> Impulse:
    return db.session.scalars(
        select(Impulse).where(Impulse.series_id == world["series"]).order_by(Impulse.starts_at)
    ).first()


def sequence_of(world) -> CalendarSequence:
    return row(CalendarSequence, kind="lean_coffee.round", subject_id=world["round"])


CHANGES: dict[str, Callable] = {
    "round title": lambda w: setattr(row(Round, id=w["round"]), "title", "Haushalt 2027"),
    "round time": lambda w: setattr(
        row(Round, id=w["round"]),
        "starts_at",
        row(Round, id=w["round"]).starts_at + timedelta(hours=1),
    ),
    "round length": lambda w: setattr(row(Round, id=w["round"]), "planned_minutes", 90),
    "round description": lambda w: setattr(row(Round, id=w["round"]), "description", "Mit Gästen"),
    "round video": lambda w: setattr(row(Round, id=w["round"]), "video_url", "https://v.example/r"),
    "round closed": lambda w: setattr(row(Round, id=w["round"]), "phase", "closed"),
    "round cancelled": lambda w: setattr(row(Round, id=w["round"]), "cancelled_at", w["now"]),
    "round participant removed": lambda w: setattr(
        row(Participant, round_id=w["round"], user_id=w["uta"]), "status", "removed"
    ),
    "calendar sequence": lambda w: setattr(sequence_of(w), "sequence", sequence_of(w).sequence + 1),
    "circle name": lambda w: setattr(row(Circle, id=w["circle"]), "name", "Offene Daten"),
    "circle video": lambda w: setattr(
        row(Circle, id=w["circle"]), "video_url", "https://v.example/c"
    ),
    "circle zone": lambda w: setattr(row(Circle, id=w["circle"]), "zone", "Europe/Vienna"),
    "circle ended": lambda w: setattr(row(Circle, id=w["circle"]), "ended_at", w["now"]),
    "circle member left": lambda w: setattr(
        row(Membership, space_kind="circles.circle", space_id=w["circle"], user_id=w["uta"]),
        "status",
        "removed",
    ),
    "circle meeting dropped": lambda w: db.session.add(
        CancelledOccurrence(
            uid=f"circle-{w['circle']}@{w['domain']}",
            occurrence=w["first_meeting"],
            cancelled_at=w["now"],
        )
    ),
    "impulse title": lambda w: setattr(impulse_of(w), "title", "Neuer Titel"),
    "impulse speaker": lambda w: setattr(impulse_of(w), "speaker_name", "Dr. Weber"),
    "impulse abstract": lambda w: setattr(impulse_of(w), "abstract", "Worum es geht"),
    "impulse time": lambda w: setattr(impulse_of(w), "minutes", 45),
    "impulse cancelled": lambda w: setattr(impulse_of(w), "cancelled_at", w["now"]),
    "series title": lambda w: setattr(row(Series, id=w["series"]), "title", "Mittagsimpulse"),
    "series video": lambda w: setattr(
        row(Series, id=w["series"]), "video_url", "https://v.example/s"
    ),
    "registration waiting": lambda w: setattr(
        row(Registration, impulse_id=impulse_of(w).id, user_id=w["uta"]), "status", "waiting"
    ),
    "registration cancelled": lambda w: setattr(
        row(Registration, impulse_id=impulse_of(w).id, user_id=w["uta"]), "status", "cancelled"
    ),
    "registration for another date": lambda w: register_second(w),
    "circle meeting skipped": lambda w: change_meeting(w, "drop"),
    "circle meeting skipped and appended": lambda w: change_meeting(w, "append"),
    "circle meeting moved": lambda w: change_meeting(w, "move"),
    "session time": lambda w: setattr(
        row(CoachingSession, id=w["session"]),
        "starts_at",
        row(CoachingSession, id=w["session"]).starts_at + timedelta(minutes=30),
    ),
    "session phase length": lambda w: setattr(
        row(CoachingPhase, session_id=w["session"], key="story"), "minutes", 17
    ),
    "session started": lambda w: setattr(
        row(CoachingSession, id=w["session"]), "started_at", w["now"]
    ),
    "session zone": lambda w: setattr(
        row(CoachingSession, id=w["session"]), "zone", "Europe/Vienna"
    ),
    "session member removed": lambda w: setattr(
        row(Membership, space_kind="coaching.session", space_id=w["session"], user_id=w["uta"]),
        "status",
        "removed",
    ),
    "group session time": lambda w: setattr(
        row(CoachingSession, id=w["group_session"]),
        "starts_at",
        row(CoachingSession, id=w["group_session"]).starts_at + timedelta(hours=1),
    ),
    "group member left": lambda w: setattr(
        row(Membership, space_kind="groups.group", space_id=w["group"], user_id=w["uta"]),
        "status",
        "left",
    ),
}


def register_second(w) -> None:
    from peerlab.accounts.models import User
    from peerlab.impulses.service import registrations

    second = db.session.scalars(
        select(Impulse).where(Impulse.series_id == w["series"]).order_by(Impulse.starts_at)
    ).all()[1]
    registrations.register(second, db.session.get(User, w["uta"]), now=w["now"])


def change_meeting(w, kind: str) -> None:
    from peerlab.circles.models_schedule import ScheduleChange

    third = w["meetings"][2].starts_at
    db.session.add(
        ScheduleChange(
            circle_id=w["circle"],
            occurrence=third,
            kind=kind,
            moved_to=third + timedelta(days=1) if kind == "move" else None,
            created_at=w["now"],
        )
    )


def test_an_unchanged_feed_answers_304_without_rendering(app, client, world, monkeypatch):
    first = client.get(url(world))
    assert first.status_code == 200
    tag = first.headers["ETag"]
    for needle in (b"Haushalt", b"Digitale Verwaltung", b"Impuls 1", b"coaching-session-"):
        assert needle in first.data  # every source is in the feed
    assert first.data.count(b"BEGIN:VEVENT") == 5  # round, circle, impulse, two sessions
    monkeypatch.setattr(builder, "build_feed", lambda *a, **k: pytest.fail("rendered"))
    again = client.get(url(world), headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["ETag"] == tag and again.data == b""


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_kind_of_source_row_changes_the_etag(app, client, world, now, change):
    from peerlab.circles import schedule

    uid = service.current_event("lean_coffee.round", world["round"]).uid
    service.sequence_row("lean_coffee.round", world["round"], uid, now)
    db.session.commit()
    tag = client.get(url(world)).headers["ETag"]
    assert client.get(url(world), headers={"If-None-Match": tag}).status_code == 304
    context = {
        **world,
        "now": now,
        "domain": app.config["MAIL_DOMAIN"],
        "first_meeting": schedule.of(db.session.get(Circle, world["circle"]))[0].starts_at,
        "meetings": schedule.of(db.session.get(Circle, world["circle"])),
    }
    CHANGES[change](context)
    db.session.commit()
    changed = client.get(url(world), headers={"If-None-Match": tag})
    assert changed.status_code == 200, change
    assert changed.headers["ETag"] != tag, change
