"""Invitations through the real mail path: outbox -> sender -> SMTP server -> MIME checks.

A circle-like weekly series (tests/ical/circle_source.py) is invited, updated (one week moved),
and one occurrence is cancelled; every message is read back from the SMTP server and parsed
by both calendar parsers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from peerlab.extensions import db
from peerlab.ical import invitations, service
from peerlab.ical.model import CalEvent
from peerlab.notify import sender
from tests.ical.circle_source import SERIES_START, FakeCircle
from tests.ical.parsers import assert_wire_format, icaljs, icaljs_occurrences, rie_occurrences
from tests.notify import mime

KIND = "testcircle.meeting"
WEEK = timedelta(weeks=1)
TITLE = "Bürgerdialog, Teil 2; Raum\\Nord"


@pytest.fixture
def setup(mail_app, smtp, circles, person):
    organizer = person(name="Ute Orga", role="organizer")
    anna = person(name="Anna Beispiel")
    ben = person(name="Ben Example", language="en", timezone="America/New_York")
    circle = circles.add(
        FakeCircle(
            7,
            TITLE,
            SERIES_START,
            {organizer.id, anna.id, ben.id},
            exdates=(SERIES_START + 2 * WEEK,),
        )
    )
    return {"organizer": organizer, "anna": anna, "ben": ben, "circle": circle, "smtp": smtp}


def _invite_all(setup, now):
    for who in ("anna", "ben"):
        invitations.invite(KIND, 7, setup[who], now=now, organizer=setup["organizer"])
    db.session.commit()
    assert sender.send_due(now) == 2


def _one(smtp, user):
    (msg,) = smtp.recorder.to(user.email)
    return msg


def test_invitation_mail_is_multipart_with_the_calendar_part_last(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    msg = _one(setup["smtp"], setup["anna"])
    cal = mime.calendar_part(msg)  # asserts text, html, calendar in this order
    assert cal.get_param("method") == "REQUEST" == mime.method(msg)
    assert cal.get_content_charset() == "utf-8"
    assert mime.attachment_bytes(msg) == mime.calendar_bytes(msg)


def test_mail_is_crlf_utf8_and_its_calendar_has_no_line_over_75_octets(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    raw = setup["smtp"].recorder.messages[0]
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    msg = _one(setup["smtp"], setup["anna"])
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            assert part.get_content_charset() == "utf-8"
    ics = mime.calendar_bytes(msg)
    assert_wire_format(ics)
    assert TITLE in mime.text_body(msg)


def test_each_invitation_names_only_its_recipient(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    for who, other in (("anna", "ben"), ("ben", "anna")):
        msg = _one(setup["smtp"], setup[who])
        raw = msg.as_bytes()
        assert setup[other].email.encode() not in raw
        ics = mime.calendar_bytes(msg)
        assert setup[other].email.encode() not in ics
        (event,) = mime.vevents(msg)
        assert str(event["ATTENDEE"]) == f"mailto:{setup[who].email}"
        assert event["ATTENDEE"].params["RSVP"] == "FALSE"
        assert icaljs(ics)["events"][0]["attendees"] == [f"mailto:{setup[who].email}"]


def test_german_mail_has_key_facts_and_answer_links(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    msg = _one(setup["smtp"], setup["anna"])
    text = mime.text_body(msg)
    assert msg["Subject"] == f"Einladung: {TITLE}"
    assert "Dienstag, 3. März 2026, 10:00–11:00 Uhr\r\n" in text  # Berlin: no zone named
    assert "Europe/Berlin" not in text
    assert "wöchentlich, 11 Termine" in text
    assert "https://video.example/raum-7" in text
    assert "https://peerlab.example/circles/7" in text
    for word in ("zusage", "vielleicht", "absage"):
        assert re.search(rf"/kalender/antwort/[\w-]+\?antwort={word}", text)
    html = mime.html_body(msg)
    assert "Zusagen" in html and "https://video.example/raum-7" in html


def test_english_mail_uses_the_recipients_language_and_time_zone(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    msg = _one(setup["smtp"], setup["ben"])
    text = mime.text_body(msg)
    assert msg["Subject"] == f"Invitation: {TITLE}"
    # Babel puts a narrow no-break space before "AM"
    shown = text.replace("\u202f", " ")
    assert "Tuesday, March 3, 2026, 4:00 AM–5:00 AM (United States (New York))" in shown
    assert "America/New_York" not in text
    assert "Accept:" in text
    assert "weekly, 11 dates" in text


def test_invitation_parses_in_both_parsers_with_11_occurrences(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    ics = mime.calendar_bytes(_one(setup["smtp"], setup["anna"]))
    assert len(rie_occurrences(ics)) == 11
    assert len(icaljs_occurrences(ics)) == 11


def test_invite_twice_sends_one_mail(setup, mail_clock):
    now = mail_clock.now()
    first = invitations.invite(KIND, 7, setup["anna"], now=now, organizer=setup["organizer"])
    again = invitations.invite(KIND, 7, setup["anna"], now=now, organizer=setup["organizer"])
    db.session.commit()
    assert first.id == again.id
    assert sender.send_due(now) == 1


def _move_week_six_to_14(setup):
    moved_from = SERIES_START + 5 * WEEK
    override = CalEvent(
        uid="",
        summary=f"{TITLE} (verschoben)",
        starts_at=moved_from.replace(hour=14),
        ends_at=moved_from.replace(hour=15),
        recurrence_id=moved_from,
    )
    setup["circle"].overrides = (override,)
    return moved_from


def test_update_then_cancel_one_occurrence_through_the_mail_path(setup, mail_clock):
    smtp, anna = setup["smtp"], setup["anna"]
    _invite_all(setup, mail_clock.now())

    # Update: one week moved to 14:00 -> REQUEST, same UID, higher SEQUENCE, newer DTSTAMP.
    mail_clock.advance(3600)
    moved_from = _move_week_six_to_14(setup)
    assert invitations.send_update(KIND, 7, now=mail_clock.now()) == 2
    db.session.commit()
    assert sender.send_due(mail_clock.now()) == 2
    invite_msg, update_msg = smtp.recorder.to(anna.email)
    assert mime.calendar_part(update_msg).get_param("method") == "REQUEST"
    (first,) = mime.vevents(invite_msg)
    master, override = mime.vevents(update_msg)
    assert str(master["UID"]) == str(first["UID"]) == str(override["UID"])
    assert int(master["SEQUENCE"]) > int(first["SEQUENCE"])
    assert master["DTSTAMP"].dt > first["DTSTAMP"].dt
    assert override["RECURRENCE-ID"].dt == moved_from
    update_ics = mime.calendar_bytes(update_msg)
    for parse in (rie_occurrences, icaljs_occurrences):
        found = parse(update_ics)
        assert len(found) == 11
        assert [o.start_local for o in found if o.start_local.startswith("2026-04-07")] == [
            "2026-04-07T14:00:00"
        ]

    # Cancel one occurrence -> CANCEL with RECURRENCE-ID, SEQUENCE raised again.
    mail_clock.advance(3600)
    dropped = SERIES_START + 7 * WEEK
    assert invitations.send_cancel(KIND, 7, now=mail_clock.now(), occurrence=dropped) == 2
    db.session.commit()
    assert sender.send_due(mail_clock.now()) == 2
    cancel_msg = smtp.recorder.to(anna.email)[-1]
    cal = mime.calendar_part(cancel_msg)
    assert cal.get_param("method") == "CANCEL" == mime.method(cancel_msg)
    (cancelled,) = mime.vevents(cancel_msg)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["RECURRENCE-ID"].dt == dropped
    assert int(cancelled["SEQUENCE"]) > int(master["SEQUENCE"])
    assert str(cancelled["UID"]) == str(first["UID"])
    assert "Dienstag, 21. April 2026, 10:00–11:00" in mime.text_body(cancel_msg)
    (only,) = rie_occurrences(mime.calendar_bytes(cancel_msg))
    assert only.start_utc == dropped.astimezone(UTC)
    js = icaljs(mime.calendar_bytes(cancel_msg))
    assert js["method"] == "CANCEL"
    assert js["events"][0]["recurrence_id_utc"] == "2026-04-21T08:00:00Z"

    # The feed now leaves the cancelled week out: 10 occurrences, the moved one at 14:00.
    feed = service.personal_feed(anna, mail_clock.now(), name="Meine Termine")
    for parse in (rie_occurrences, icaljs_occurrences):
        found = parse(feed)
        assert len(found) == 10
        assert dropped.astimezone(UTC) not in {o.start_utc for o in found}


def test_cancelling_the_whole_series_mails_cancel_and_drops_it_from_the_feed(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    mail_clock.advance(60)
    assert invitations.send_cancel(KIND, 7, now=mail_clock.now()) == 2
    db.session.commit()
    assert sender.send_due(mail_clock.now()) == 2
    msg = setup["smtp"].recorder.to(setup["ben"].email)[-1]
    assert msg["Subject"] == f"Cancelled: {TITLE}"
    (event,) = mime.vevents(msg)
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RECURRENCE-ID" not in event
    feed = service.personal_feed(setup["anna"], mail_clock.now(), name="x")
    assert rie_occurrences(feed) == []


def test_cancelling_an_occurrence_that_does_not_exist_changes_nothing(setup, mail_clock):
    from peerlab.core.errors import InvalidInput

    _invite_all(setup, mail_clock.now())
    with pytest.raises(InvalidInput):
        invitations.send_cancel(
            KIND, 7, now=mail_clock.now(), occurrence=SERIES_START + timedelta(days=1)
        )
    db.session.rollback()
    assert sender.send_due(mail_clock.now()) == 0


def test_declined_people_get_no_update(setup, mail_clock):
    now = mail_clock.now()
    _invite_all(setup, now)
    (inv,) = [i for i in invitations.responses(KIND, 7) if i.user_id == setup["ben"].id]
    invitations.respond(inv, "DECLINED", now=now)
    db.session.commit()
    setup["circle"].video = "https://video.example/neu"
    assert invitations.send_update(KIND, 7, now=now) == 1
    db.session.commit()
    sender.send_due(now)
    assert len(setup["smtp"].recorder.to(setup["ben"].email)) == 1
    assert len(setup["smtp"].recorder.to(setup["anna"].email)) == 2


def test_changed_start_time_goes_out_with_the_new_time(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    setup["circle"].starts_at = SERIES_START.replace(hour=9)
    setup["circle"].exdates = (SERIES_START.replace(hour=9) + 2 * WEEK,)
    invitations.send_update(KIND, 7, now=mail_clock.now() + timedelta(seconds=1))
    db.session.commit()
    sender.send_due(mail_clock.now() + timedelta(seconds=1))
    msg = setup["smtp"].recorder.to(setup["anna"].email)[-1]
    assert msg["Subject"] == f"Geändert: {TITLE}"
    assert "09:00–10:00" in mime.text_body(msg)
    found = icaljs_occurrences(mime.calendar_bytes(msg))
    assert found[0].start_utc == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


def test_events_keep_their_override_uid_in_updates(setup):
    event = service.current_event(KIND, 7)
    assert replace(event, overrides=()).uid == "testcircle-7@peerlab.localhost"


def test_cancelling_a_moved_week_names_its_new_time(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    moved_from = _move_week_six_to_14(setup)
    invitations.send_update(KIND, 7, now=mail_clock.now())
    mail_clock.advance(60)
    invitations.send_cancel(KIND, 7, now=mail_clock.now(), occurrence=moved_from)
    db.session.commit()
    sender.send_due(mail_clock.now())
    msg = setup["smtp"].recorder.to(setup["anna"].email)[-1]
    (cancelled,) = mime.vevents(msg)
    assert cancelled["RECURRENCE-ID"].dt == moved_from
    assert cancelled["DTSTART"].dt == moved_from.replace(hour=14)
    assert "14:00–15:00" in mime.text_body(msg)
    feed = service.personal_feed(setup["anna"], mail_clock.now(), name="x")
    assert len(icaljs_occurrences(feed)) == 10
    assert not [o for o in rie_occurrences(feed) if o.start_local.startswith("2026-04-07")]


def test_nobody_is_invited_to_a_date_they_may_not_see(setup, mail_clock, person):
    from peerlab.core.errors import Forbidden

    stranger = person(name="Fremde Person")
    with pytest.raises(Forbidden):
        invitations.invite(KIND, 7, stranger, now=mail_clock.now(), organizer=None)
    db.session.rollback()
    assert invitations.responses(KIND, 7) == []
    assert sender.send_due(mail_clock.now()) == 0


def test_people_who_lost_access_get_no_update(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    setup["circle"].members.discard(setup["ben"].id)
    setup["circle"].video = "https://video.example/geheim"
    assert invitations.send_update(KIND, 7, now=mail_clock.now()) == 1
    db.session.commit()
    sender.send_due(mail_clock.now())
    assert len(setup["smtp"].recorder.to(setup["ben"].email)) == 1
    assert "geheim" not in mime.text_body(setup["smtp"].recorder.to(setup["ben"].email)[0])


def test_an_update_after_cancelling_reopens_the_date_for_everyone(setup, mail_clock):
    _invite_all(setup, mail_clock.now())
    mail_clock.advance(60)
    invitations.send_cancel(KIND, 7, now=mail_clock.now())
    db.session.commit()
    mail_clock.advance(60)
    assert invitations.send_update(KIND, 7, now=mail_clock.now()) == 2
    db.session.commit()
    assert sender.send_due(mail_clock.now()) == 4
    last = setup["smtp"].recorder.to(setup["anna"].email)[-1]
    (event,) = mime.vevents(last)
    assert mime.method(last) == "REQUEST" and str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 2
    feed = service.personal_feed(setup["anna"], mail_clock.now(), name="x")
    assert len(rie_occurrences(feed)) == 11
