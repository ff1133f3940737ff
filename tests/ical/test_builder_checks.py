"""The checks of guide/calendar.md on the builder, each as its own test, with both parsers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerlab.ical import builder
from peerlab.ical.builder import Person
from peerlab.ical.model import CalEvent
from tests.ical.parsers import (
    assert_wire_format,
    components,
    icaljs,
    icaljs_occurrences,
    rie_occurrences,
    unfolded,
)

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 3, 10, 0, tzinfo=BERLIN)
NOW = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)
SKIPPED = START + 2 * WEEK  # 2026-03-17
MOVED = START + 5 * WEEK  # 2026-04-07, after the change to summer time
ORGANIZER = Person("noreply@peerlab.test", "Ute Orga (peerlab)")
ATTENDEE = Person("anna@kommune.example", "Anna Beispiel")


def series(**changes) -> CalEvent:
    event = CalEvent(
        uid="circle-7@peerlab.test",
        summary="Working Out Loud",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        url="https://peerlab.test/circles/7",
        location="https://video.example/raum-7",
        rrule={"FREQ": "WEEKLY", "COUNT": 12},
        exdates=(SKIPPED,),
    )
    return replace(event, **changes)


def moved_series() -> CalEvent:
    override = CalEvent(
        uid="circle-7@peerlab.test",
        summary="Working Out Loud (verschoben)",
        starts_at=MOVED.replace(hour=14),
        ends_at=MOVED.replace(hour=15),
        recurrence_id=MOVED,
    )
    return series(overrides=(override,))


def feed(*events: CalEvent) -> bytes:
    return builder.build_feed(list(events), name="Meine Termine", now=NOW)


@pytest.mark.parametrize("parse", [rie_occurrences, icaljs_occurrences], ids=["rie", "icaljs"])
def test_weekly_count_12_with_one_exdate_gives_11_occurrences(parse):
    found = parse(feed(series()))
    assert len(found) == 11
    assert SKIPPED.astimezone(UTC) not in {o.start_utc for o in found}


@pytest.mark.parametrize("parse", [rie_occurrences, icaljs_occurrences], ids=["rie", "icaljs"])
def test_local_time_stays_10_while_utc_moves_across_the_dst_change(parse):
    found = parse(feed(series()))
    assert {o.start_local[11:] for o in found} == {"10:00:00"}
    before = [o for o in found if o.start_utc < datetime(2026, 3, 29, tzinfo=UTC)]
    after = [o for o in found if o.start_utc > datetime(2026, 3, 29, tzinfo=UTC)]
    assert before and after
    assert {o.start_utc.strftime("%H:%MZ") for o in before} == {"09:00Z"}
    assert {o.start_utc.strftime("%H:%MZ") for o in after} == {"08:00Z"}


@pytest.mark.parametrize("parse", [rie_occurrences, icaljs_occurrences], ids=["rie", "icaljs"])
def test_recurrence_id_override_moved_to_14_still_gives_11(parse):
    found = parse(feed(moved_series()))
    assert len(found) == 11
    on_day = [o for o in found if o.start_local.startswith("2026-04-07")]
    assert len(on_day) == 1, "the moved week appears once, with no copy at 10:00"
    assert on_day[0].start_local.endswith("14:00:00")
    assert on_day[0].start_utc == datetime(2026, 4, 7, 12, 0, tzinfo=UTC)
    assert on_day[0].summary == "Working Out Loud (verschoben)"


def test_vtimezone_berlin_is_one_standard_and_one_daylight_rule_without_rdate():
    ics = feed(series())
    zones = components(ics, "VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    blocks = zones[0].subcomponents
    assert sorted(b.name for b in blocks) == ["DAYLIGHT", "STANDARD"]
    for block in blocks:
        assert "RRULE" in block
        assert "RDATE" not in block
    assert "RDATE" not in ics.decode()


def test_no_vtimezone_for_utc_events():
    utc_start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    ics = feed(
        series(tz="UTC", starts_at=utc_start, ends_at=utc_start + timedelta(hours=1), exdates=())
    )
    assert components(ics, "VTIMEZONE") == []
    assert "DTSTART:20260303T090000Z" in unfolded(ics)


def test_until_after_a_tzid_start_is_written_in_utc():
    until = datetime(2026, 5, 19, 10, 0, tzinfo=BERLIN)  # local; must come out as UTC
    ics = feed(series(rrule={"FREQ": "WEEKLY", "UNTIL": until}))
    rules = [line for line in unfolded(ics) if line.startswith("RRULE:") and "UNTIL" in line]
    assert rules
    for line in rules:
        assert re.search(r"UNTIL=\d{8}T\d{6}Z(;|$)", line), line
    assert "UNTIL=20260519T080000Z" in rules[0]
    assert len(rie_occurrences(ics)) == 11
    assert len(icaljs_occurrences(ics)) == 11


def test_dtstamp_and_other_timestamps_end_in_z():
    ics = feed(moved_series())
    stamps = [
        line
        for line in unfolded(ics)
        if line.split(":", 1)[0].split(";", 1)[0] in ("DTSTAMP", "CREATED", "LAST-MODIFIED")
    ]
    assert stamps
    for line in stamps:
        assert re.fullmatch(r"[A-Z-]+:\d{8}T\d{6}Z", line), line


def test_exdate_and_recurrence_id_carry_the_tzid_of_dtstart():
    lines = unfolded(feed(moved_series()))
    assert "EXDATE;TZID=Europe/Berlin:20260317T100000" in lines
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20260407T100000" in lines
    assert "DTSTART;TZID=Europe/Berlin:20260303T100000" in lines


def test_update_keeps_the_uid_with_higher_sequence_and_newer_dtstamp():
    first = builder.build_request(series(), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)
    later = NOW + timedelta(hours=2)
    changed = series(
        sequence=1,
        starts_at=START.replace(hour=11),
        ends_at=START.replace(hour=12),
        exdates=(SKIPPED.replace(hour=11),),
    )
    second = builder.build_request(changed, organizer=ORGANIZER, attendee=ATTENDEE, now=later)
    (a,), (b,) = components(first, "VEVENT"), components(second, "VEVENT")
    assert str(a["UID"]) == str(b["UID"])
    assert int(b["SEQUENCE"]) > int(a["SEQUENCE"])
    assert b["DTSTAMP"].dt > a["DTSTAMP"].dt
    for ics in (first, second):
        assert "METHOD:REQUEST" in unfolded(ics)
        assert icaljs(ics)["method"] == "REQUEST"


def test_cancel_has_method_cancel_and_status_cancelled():
    ics = builder.build_cancel(series(sequence=2), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)
    assert "METHOD:CANCEL" in unfolded(ics)
    (event,) = components(ics, "VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    parsed = icaljs(ics)
    assert parsed["method"] == "CANCEL"
    assert [e["status"] for e in parsed["events"]] == ["CANCELLED"]


def test_cancelling_one_occurrence_uses_recurrence_id():
    occurrence = START + 7 * WEEK
    ics = builder.build_cancel(
        series(sequence=3), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, occurrence=occurrence
    )
    (event,) = components(ics, "VEVENT")
    assert event["RECURRENCE-ID"].dt == occurrence
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RRULE" not in event
    parsed = icaljs(ics)["events"]
    assert parsed[0]["recurrence_id_utc"] == "2026-04-21T08:00:00Z"


def test_feed_after_cancelling_one_week_expands_to_10():
    dropped = series(exdates=(SKIPPED, START + 7 * WEEK))
    ics = feed(dropped)
    assert len(rie_occurrences(ics)) == 10
    assert len(icaljs_occurrences(ics)) == 10


def test_itip_request_names_organizer_and_exactly_one_attendee():
    ics = builder.build_request(moved_series(), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)
    for event in components(ics, "VEVENT"):
        organizer = event["ORGANIZER"]
        assert str(organizer) == "mailto:noreply@peerlab.test"
        assert organizer.params["CN"] == "Ute Orga (peerlab)"
        attendees = event.get("ATTENDEE")
        assert not isinstance(attendees, list), "exactly one ATTENDEE"
        assert str(attendees) == "mailto:anna@kommune.example"
        assert attendees.params["CN"] == "Anna Beispiel"
        assert attendees.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendees.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendees.params["RSVP"] == "FALSE"
    assert {tuple(e["attendees"]) for e in icaljs(ics)["events"]} == {
        ("mailto:anna@kommune.example",)
    }


def test_itip_message_carries_exactly_one_uid():
    other = series(uid="circle-8@peerlab.test")
    with pytest.raises(ValueError):
        builder.build_calendar(
            [series(), other], method="REQUEST", organizer=ORGANIZER, attendee=ATTENDEE, now=NOW
        )


def test_feed_has_no_method_beyond_publish_and_no_attendee_or_organizer():
    ics = feed(moved_series())
    lines = unfolded(ics)
    assert "METHOD:PUBLISH" in lines
    assert not any(line.startswith(("ATTENDEE", "ORGANIZER")) for line in lines)
    assert "mailto:" not in ics.decode()
    assert "NAME:Meine Termine" in lines
    assert "X-WR-CALNAME:Meine Termine" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    parsed = icaljs(ics)
    assert parsed["name"] == parsed["calname"] == "Meine Termine"


def test_feed_refuses_an_attendee():
    with pytest.raises(ValueError):
        builder.build_calendar([series()], method="PUBLISH", attendee=ATTENDEE, now=NOW)


TRICKY = "Bürgerdialog, Teil 2; Raum\\Nord"


def _tricky_event() -> CalEvent:
    # "DESCRIPTION:" + padding puts the newline escape right at the 75-octet fold boundary.
    padding = "x" * (75 - len("DESCRIPTION:") - 1)
    return series(
        summary=TRICKY, description=f"{padding}\n{TRICKY}\nZeile ä", url=None, location=None
    )


def test_escaping_writes_the_backslash_doubled():
    ics = feed(_tricky_event())
    assert "SUMMARY:Bürgerdialog\\, Teil 2\\; Raum\\\\Nord" in unfolded(ics)


@pytest.mark.parametrize("fold_at", range(60, 80))
def test_text_with_special_characters_round_trips_through_both_parsers(fold_at):
    description = "x" * (fold_at - len("DESCRIPTION:")) + "\n" + TRICKY + "\nÄrger über Öl"
    event = series(summary=TRICKY, description=description, url=None, location=None)
    ics = feed(event)
    assert_wire_format(ics)
    (parsed,) = components(ics, "VEVENT")
    assert str(parsed["SUMMARY"]) == TRICKY
    assert str(parsed["DESCRIPTION"]) == description
    js = icaljs(ics)["events"][0]
    assert js["summary"] == TRICKY
    assert js["description"] == description
    assert {o.summary for o in rie_occurrences(ics)} == {TRICKY}


def test_every_line_ends_in_crlf_and_is_at_most_75_octets():
    long_title = "Äußerst lange Überschrift für die Verwaltungsdigitalisierung " * 4
    for ics in (
        feed(series(summary=long_title)),
        builder.build_request(
            series(summary=long_title), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW
        ),
    ):
        assert_wire_format(ics)


def test_builder_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        CalEvent(
            uid="x@y",
            summary="x",
            starts_at=datetime(2026, 3, 3, 10),
            ends_at=datetime(2026, 3, 3, 11),
        )
    with pytest.raises(ValueError):
        builder.build_feed([series()], name="x", now=datetime(2026, 3, 3, 10))
    with pytest.raises(ValueError):
        feed(series(rrule={"FREQ": "WEEKLY", "UNTIL": datetime(2026, 5, 1)}))


def test_a_moved_week_keeps_the_link_and_video_room_of_the_series():
    (_, moved) = components(feed(moved_series()), "VEVENT")
    assert str(moved["LOCATION"]) == "https://video.example/raum-7"
    assert str(moved["URL"]) == "https://peerlab.test/circles/7"
    assert int(moved["SEQUENCE"]) == 0
