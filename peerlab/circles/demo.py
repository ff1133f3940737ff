"""Demo: one running circle, three weeks in, with check-ins of the past meetings. Dates come
from the clock (`now`), never from a calendar date."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from peerlab.accounts.models import User
from peerlab.circles import schedule
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle, Goal
from peerlab.core import spaces
from peerlab.extensions import db

HISTORY = (
    ("Mit zwei Kolleginnen aus dem Bauamt gesprochen.", "Liste mit zehn Kontakten anlegen."),
    ("Drei Kommunen angeschrieben, zwei haben geantwortet.", "Termin mit Kiel vereinbaren."),
    ("Im Intranet eine kurze Notiz zu meinem Vorhaben gepostet.", "Feedback einsammeln."),
)

NOTES = (
    "Alle haben ein Ziel. Nächstes Mal bringt jede Person zehn Kontakte mit.",
    "Kiel und Lübeck teilen ihre Checklisten; Anfrage läuft über den Städtetag.",
    "Feedback aus dem Intranet besprechen; zwei Kolleginnen wollen mitmachen.",
)


def seed(users: dict[str, User], now) -> None:
    """Created three weeks ago, it meets on today's weekday one hour from now (Berlin time),
    so meeting 4 is next and three meetings have a history."""
    members = [u for u in users.values() if u.role == "member"][:4]
    if len(members) < 2:
        return
    berlin = ZoneInfo("Europe/Berlin")
    local = (now + timedelta(hours=1)).astimezone(berlin)
    start = local.date() - timedelta(weeks=3)
    circle = Circle(
        name="Digitale Bürgerdienste",
        weekday=start.weekday(),
        local_time=time(local.hour, 0),
        zone="Europe/Berlin",
        start_date=start,
        video_url="https://meet.example.org/circle-buergerdienste",
        language="de",
        created_by_id=members[0].id,
        created_at=now - timedelta(weeks=3, days=2),
    )
    db.session.add(circle)
    db.session.flush()
    rows = []
    for index, user in enumerate(members):
        rows.append(
            spaces.add_member(
                SPACE_KIND,
                circle.id,
                now=circle.created_at,
                user_id=user.id,
                role="facilitator" if index == 0 else "member",
                status="active",
            )
        )
    goals = (
        "Ich möchte drei Kommunen kennenlernen, die Bürgerdienste schon digital anbieten.",
        "Ich möchte ein Netzwerk für Digitalisierungslotsen im Kreis aufbauen.",
    )
    for row, text in zip(rows, goals, strict=False):
        db.session.add(
            Goal(
                membership_id=row.id,
                text=text,
                shared=True,
                created_at=circle.created_at,
                updated_at=circle.created_at,
            )
        )
    for meeting in schedule.of(circle):
        if meeting.starts_at > now:
            break
        happened, step = HISTORY[(meeting.number - 1) % len(HISTORY)]
        for row in rows[:3]:
            at = meeting.starts_at - timedelta(hours=5)
            db.session.add(
                CheckIn(
                    circle_id=circle.id,
                    membership_id=row.id,
                    meeting_no=meeting.number,
                    happened=happened,
                    next_step=step,
                    need_help="",
                    created_at=at,
                    updated_at=at,
                )
            )
        _meeting_notes(circle, meeting, rows[0].user_id)
    db.session.flush()


def _meeting_notes(circle: Circle, meeting, facilitator_id: int) -> None:
    """A held meeting with the notes the circle kept (shown in the history)."""
    from peerlab.circles.meeting_models import CircleMeeting

    db.session.add(
        CircleMeeting(
            circle_id=circle.id,
            number=meeting.number,
            facilitator_id=facilitator_id,
            total_minutes=45,
            exercise_minutes=10,
            notes=NOTES[(meeting.number - 1) % len(NOTES)],
            notes_version=1,
            version=1,
            created_at=meeting.starts_at,
            started_at=meeting.starts_at,
            ended_at=meeting.ends_at,
        )
    )
