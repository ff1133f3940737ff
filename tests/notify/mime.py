"""Reading the mails the test SMTP server received: parts, calendar, attachment."""

from __future__ import annotations

from email.message import EmailMessage

import icalendar


def alternative(msg: EmailMessage) -> EmailMessage:
    assert msg.get_content_type() == "multipart/mixed"
    first = msg.get_payload()[0]
    assert first.get_content_type() == "multipart/alternative"
    return first


def calendar_part(msg: EmailMessage) -> EmailMessage:
    """The text/calendar part; it must be the last part of multipart/alternative."""
    parts = alternative(msg).get_payload()
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    return parts[-1]


def calendar_bytes(msg: EmailMessage) -> bytes:
    return calendar_part(msg).get_payload(decode=True)


def attachment_bytes(msg: EmailMessage) -> bytes:
    (attached,) = list(msg.iter_attachments())
    assert attached.get_filename().endswith(".ics")
    return attached.get_payload(decode=True)


def text_body(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_body(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def vevents(msg: EmailMessage) -> list:
    return list(icalendar.Calendar.from_ical(calendar_bytes(msg)).walk("VEVENT"))


def method(msg: EmailMessage) -> str:
    return str(icalendar.Calendar.from_ical(calendar_bytes(msg))["METHOD"])
