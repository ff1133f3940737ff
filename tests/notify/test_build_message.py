"""build_message: the calendar part's method must match the METHOD inside the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peerlab.ical import builder
from peerlab.ical.builder import Person
from peerlab.ical.model import CalEvent
from peerlab.notify.outbox import CalendarPart, build_message

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def _ics(method: str) -> bytes:
    event = CalEvent(
        uid="x-1@peerlab.test",
        summary="Sprechstunde",
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=1),
    )
    people = {"organizer": Person("noreply@peerlab.test"), "attendee": Person("a@b.example")}
    if method == "CANCEL":
        return builder.build_cancel(event, now=NOW, **people)
    return builder.build_request(event, now=NOW, **people)


def _build(calendar: CalendarPart):
    return build_message(
        to="a@b.example",
        subject="Betreff",
        text="Text",
        html="<p>x</p>",
        message_id="<1@peerlab.test>",
        now=NOW,
        calendar=calendar,
    )


def test_calendar_part_method_must_equal_the_method_inside(app):
    with pytest.raises(ValueError):
        _build(CalendarPart("REQUEST", _ics("CANCEL")))


def test_the_method_parameter_is_written_unquoted(app):
    raw = _build(CalendarPart("CANCEL", _ics("CANCEL"))).as_bytes()
    assert b'Content-Type: text/calendar; charset="UTF-8"; method=CANCEL\r\n' in raw
