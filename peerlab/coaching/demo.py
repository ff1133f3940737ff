"""Demo: one upcoming session, tomorrow at 10:00 Berlin time (from the clock, never a
calendar date), set up by the demo organizer, who moderates; four members take part."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from peerlab.accounts.models import User
from peerlab.coaching.service import setup


def seed(users: dict[str, User], now) -> None:
    members = [u for u in users.values() if u.role == "member"]
    organizer = next((u for u in users.values() if u.role == "organizer"), None)
    if len(members) < 4 or organizer is None:
        return
    berlin = ZoneInfo("Europe/Berlin")
    day = (now.astimezone(berlin) + timedelta(days=1)).date()
    setup.create_session(
        setup.SessionSetup(
            title="Beratung: Anfeindungen nach der Ratssitzung",
            starts_at=datetime.combine(day, time(10, 0), berlin),
            case_giver=members[0].id,
            moderator=organizer.id,
            advisers=(members[1].id, members[2].id, members[3].id),
            video_url="https://meet.example.org/beratung",
        ),
        creator=organizer,
        now=now,
    )
