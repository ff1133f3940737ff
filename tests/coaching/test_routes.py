"""Pages: set up through the form, the board for participants, keeps for the case giver only;
the calendar says nothing but "Vertraulicher Termin (peerlab)"."""

from __future__ import annotations

import email
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peerlab.coaching.calendar_source import SessionCalendar
from peerlab.coaching.models import CoachingKeep, CoachingSession
from peerlab.coaching.service import ending
from peerlab.extensions import db
from peerlab.ical import builder
from tests.conftest import csrf_from


def test_organizer_sets_up_a_session_and_participants_see_the_board(app, login, cast, clock):
    http = app.test_client()
    login(http, cast.orga)
    page = http.get("/beratung/neu").get_data(as_text=True)
    day = (clock.now().astimezone(ZoneInfo("Europe/Berlin")) + timedelta(days=2)).date()
    data = {
        "csrf_token": csrf_from(page),
        "title": "Hass im Netz",
        "day": day.isoformat(),
        "local_time": "10:00",
        "zone": "Europe/Berlin",
        "case_giver": cast.giver.id,
        "moderator": cast.moderator.id,
        "advisers": [u.id for u in cast.advisers[:2]],
        "secretary": 0,
        "anonymous_allowed": "y",
        **{
            f"minutes_{k}": 5
            for k in (
                "casting",
                "story",
                "key_question",
                "questions",
                "hypotheses",
                "proposals",
                "closing",
            )
        },
    }
    refused = http.post("/beratung/neu", data=data)
    assert refused.status_code == 422 and "3 bis 8" in refused.get_data(as_text=True)
    assert db.session.scalar(select(CoachingSession)) is None
    data["advisers"] = [u.id for u in cast.advisers[:3]]
    done = http.post("/beratung/neu", data=data)
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    session = db.session.scalar(select(CoachingSession))
    assert "keine Inhalte" in http.get(done.headers["Location"]).get_data(as_text=True)

    giver = app.test_client()
    login(giver, cast.giver)
    board = giver.get(f"/beratung/{session.id}").get_data(as_text=True)
    assert 'id="co-board"' in board and "Namen und Orte weg" in board

    from peerlab.ical.models import Invitation

    invited = set(db.session.scalars(select(Invitation.user_id)))
    assert invited == {cast.giver.id, cast.moderator.id, *(u.id for u in cast.advisers[:3])}
    assert giver.get("/beratung/neu").status_code == 404  # members do not set sessions up
    from peerlab.notify.models import OutboxMail

    mails = db.session.scalars(select(OutboxMail)).all()
    assert len(mails) == 5
    for mail in mails:  # the invitation mails (every part, decoded) do not carry the title
        assert "Vertraulicher Termin" in mail.subject
        parts = email.message_from_bytes(mail.raw).walk()
        text = b"".join(p.get_payload(decode=True) or b"" for p in parts).decode()
        assert "Vertraulicher Termin (peerlab)" in text
        assert "Hass im Netz" not in text and "Hass im Netz" not in mail.subject

    ics = builder.build_calendar([SessionCalendar().event(session.id)], now=clock.now()).decode()
    assert "SUMMARY:Vertraulicher Termin (peerlab)" in ics
    assert "Hass im Netz" not in ics
    assert "\nDESCRIPTION" not in ics and "\nLOCATION" not in ics

    session.started_at = clock.now()  # held (a never started session leaves no keep)
    ending.finish(session, clock.now())
    db.session.commit()
    keep = db.session.scalar(select(CoachingKeep))
    assert giver.get(f"/beratung/mitgenommen/{keep.id}").status_code == 200
    assert giver.get(f"/beratung/mitgenommen/{keep.id}.md").mimetype == "text/markdown"
    other = app.test_client()
    login(other, cast.advisers[0])
    assert other.get(f"/beratung/mitgenommen/{keep.id}").status_code == 404


def test_builder_conceals_a_confidential_date(clock):
    from peerlab.ical.model import CalEvent

    start = clock.now()
    event = CalEvent(
        uid="x@peerlab.example",
        summary="Geheimer Titel",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        description="Inhalt",
        location="https://meet.example.org/raum",
        sealed=True,
    )
    ics = builder.build_calendar([event], now=start).decode()
    assert "Vertraulicher Termin (peerlab)" in ics
    assert "Geheimer" not in ics and "Inhalt" not in ics and "meet.example.org" not in ics
