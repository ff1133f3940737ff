"""Sealed dates (dates of a confidential group): every mail, download and feed says only
"Vertraulicher Termin (peerlab)", no description, no video room, organizer "peerlab", and a
URL to the group page; both parsers read it so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from peerlab.ical import builder, invitations, service
from peerlab.ical.builder import Person
from peerlab.ical.model import SEALED_SUMMARY, CalEvent
from peerlab.notify.models import OutboxMail
from tests.ical.parsers import components, icaljs, icaljs_occurrences, rie_occurrences

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 3, 18, 0, tzinfo=BERLIN)
SECRETS = ("Krisenrunde Bürgermeister Nord", "Drohbriefe", "video.example/geheim", "Olga Owner")
KIND = "testgroup.date"


@dataclass
class SealedSource:
    kind: str = KIND
    members: tuple[int, ...] = ()

    def event(self, subject_id: int) -> CalEvent | None:
        if subject_id != 1:
            return None
        return CalEvent(
            uid="testgroup-date-1@peerlab.localhost",
            summary="Krisenrunde Bürgermeister Nord",
            description="Thema: Drohbriefe",
            location="https://video.example/geheim",
            url="https://peerlab.example/gruppen/1",
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            rrule={"FREQ": "WEEKLY", "COUNT": 3},
            overrides=(
                CalEvent(
                    uid="x",
                    summary="Verschoben: Drohbriefe",
                    description="Drohbriefe, zweiter Teil",
                    starts_at=START + timedelta(days=7, hours=1),
                    ends_at=START + timedelta(days=7, hours=2),
                    recurrence_id=START + timedelta(days=7),
                ),
            ),
            sealed=True,
        )

    def can_view(self, subject_id: int, user) -> bool:
        return subject_id == 1 and user.id in self.members

    def events_for(self, user, now: datetime) -> list[CalEvent]:
        return [self.event(1)] if user.id in self.members else []


@dataclass
class SealedFeature:
    source: SealedSource

    def init_app(self, app, registry) -> None:
        registry.calendar_source(self.source)


@pytest.fixture
def source() -> SealedSource:
    return SealedSource()


@pytest.fixture
def app_features(source):
    return (SealedFeature(source),)


def _assert_sealed_text(ics: bytes) -> None:
    text = ics.decode("utf-8")
    for secret in SECRETS:
        assert secret not in text
    for event in components(ics, "VEVENT"):
        assert str(event["SUMMARY"]) == SEALED_SUMMARY
        assert "DESCRIPTION" not in event and "LOCATION" not in event
        assert str(event["CLASS"]) == "PRIVATE"
        if "ORGANIZER" in event:
            assert event["ORGANIZER"].params["CN"] == "peerlab"


def _assert_sealed(ics: bytes) -> None:
    _assert_sealed_text(ics)
    for event in components(ics, "VEVENT"):
        assert str(event["URL"]) == "https://peerlab.example/gruppen/1"
    occurrences = rie_occurrences(ics)
    assert occurrences and {o.summary for o in occurrences} == {SEALED_SUMMARY}
    # ical.js expands no lone RECURRENCE-ID component (a cancelled week): its events then speak
    assert {o.summary for o in icaljs_occurrences(ics)} <= {SEALED_SUMMARY}
    read = icaljs(ics)["events"]
    assert read
    for event in read:
        assert event["summary"] == SEALED_SUMMARY
        assert not event.get("description") and not event.get("location")


def test_a_sealed_event_drops_what_the_format_passes():
    event = SealedSource().event(1)
    assert event.summary == SEALED_SUMMARY and event.description == "" and event.location is None
    assert event.confidential


def test_builder_request_cancel_and_feed_are_sealed(app, now):
    event = SealedSource().event(1)
    organizer = Person("noreply@peerlab.example", "Olga Owner (peerlab)")
    attendee = Person("mia@kommune.example", "Mia")
    _assert_sealed(builder.build_request(event, organizer=organizer, attendee=attendee, now=now))
    _assert_sealed(builder.build_cancel(event, organizer=organizer, attendee=attendee, now=now))
    _assert_sealed(builder.build_feed([event], name="peerlab", now=now))


def test_invitation_mail_download_and_feed_are_sealed(app, client, login, make_user, source, now):
    owner = make_user(name="Olga Owner")
    member = make_user(name="Mia Mitglied")
    source.members = (owner.id, member.id)
    from peerlab.extensions import db

    invitations.invite(KIND, 1, member, now=now, organizer=owner)
    invitations.send_cancel(KIND, 1, now=now, occurrence=START + timedelta(days=14))
    db.session.commit()
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.user_id == member.id)).all()
    assert len(mails) == 2
    for mail in mails:
        assert SEALED_SUMMARY in mail.subject
        message = message_from_bytes(mail.raw, policy=default_policy)
        for part in message.walk():
            if part.is_multipart():
                continue
            body = part.get_payload(decode=True)
            decoded = body.decode("utf-8")
            for secret in SECRETS:
                assert secret not in decoded, (part.get_content_type(), secret)
            if part.get_content_type() in ("text/calendar", "application/ics"):
                _assert_sealed(body)

    login(client, member)
    download = client.get(f"/kalender/{KIND}/1.ics")
    assert download.status_code == 200
    _assert_sealed(download.data)
    _assert_sealed(service.personal_feed(member, now, name="peerlab"))


def test_a_lean_coffee_round_of_a_group_is_a_sealed_date(app, make_user, now):
    from peerlab.extensions import db
    from peerlab.lean_coffee import calendar_source
    from peerlab.lean_coffee.service import rounds

    organizer = make_user("organizer", name="Olga Owner")
    settings = rounds.RoundSettings(
        title="Krisenrunde Bürgermeister Nord",
        starts_at=now + timedelta(days=3),
        access="invited",
        video_url="https://video.example/geheim",
    )
    rnd = rounds.create_round(settings, creator=organizer, invitees=[], now=now)
    plain = calendar_source.RoundCalendar().event(rnd.id)
    assert not plain.sealed and "Krisenrunde" in plain.summary
    rnd.group_id = 7  # held inside a confidential group
    db.session.flush()
    event = calendar_source.RoundCalendar().event(rnd.id)
    assert event.sealed and event.summary == SEALED_SUMMARY
    organizer_person = Person("noreply@peerlab.example", "Olga Owner (peerlab)")
    attendee = Person("mia@kommune.example", "Mia")
    _assert_sealed_text(
        builder.build_request(event, organizer=organizer_person, attendee=attendee, now=now)
    )
