"""The one iCalendar builder of peerlab: pure functions, CalEvents in, RFC 5545 bytes out.

Rules (guide/calendar.md): aware datetimes only; a static RRULE-based VTIMEZONE for the zones
we use (Outlook mis-reads the RDATE lists icalendar generates); UNTIL in UTC; EXDATE and
RECURRENCE-ID in DTSTART's zone; DTSTAMP in UTC; iTIP messages (REQUEST/CANCEL) carry
ORGANIZER and exactly one ATTENDEE, the recipient; feeds carry no METHOD, no ORGANIZER and no
ATTENDEE. icalendar 7.3.0 does not escape a backslash in TEXT (`Raum\\Nord` comes out as
`Raum\\nord`, read back as a line break): every text value goes through `_Text`, which escapes
itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText
from icalendar.prop import vDuration

from peerlab.ical.model import CalEvent

PRODID = "-//peerlab//peerlab calendar//DE"
SEALED_ORGANIZER = "peerlab"
METHODS = (None, "PUBLISH", "REQUEST", "CANCEL")
REFRESH = timedelta(hours=1)
# Zones with the EU summer-time rule (clocks change at 01:00 UTC on the last Sunday of March and
# of October) that get a static RRULE-based VTIMEZONE. Any other zone is written in UTC, so no
# client ever has to guess a zone we did not describe (a weekly series in such a zone moves by
# an hour in calendars across a change: left open).
_CET = ("CET", "CEST", "+0100", "+0200")
_EU_ZONES = {
    "Europe/Berlin": _CET,
    **{
        f"Europe/{city}": _CET
        for city in (
            "Amsterdam",
            "Brussels",
            "Copenhagen",
            "Luxembourg",
            "Madrid",
            "Oslo",
            "Paris",
            "Prague",
            "Rome",
            "Stockholm",
            "Vienna",
            "Warsaw",
            "Zurich",
        )
    },
    "Europe/London": ("GMT", "BST", "+0000", "+0100"),
    "Europe/Lisbon": ("WET", "WEST", "+0000", "+0100"),
    **{
        f"Europe/{city}": ("EET", "EEST", "+0200", "+0300")
        for city in ("Athens", "Helsinki", "Riga", "Tallinn", "Vilnius")
    },
}
_EU_CHANGE_UTC_HOUR = 1


@dataclass(frozen=True)
class Person:
    """Organizer or attendee of an iTIP message."""

    email: str
    name: str = ""


class _Text(vText):
    """TEXT value escaped by us (RFC 5545 3.3.11), working around the icalendar 7.3 bug."""

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


def escape_text(value: str) -> str:
    """Escape backslash, semicolon, comma and line breaks of an iCalendar TEXT value."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def _param(value: str) -> str:
    # A parameter value may not hold a double quote or control characters (RFC 5545 3.1).
    return "".join(ch for ch in value if ch >= " " and ch != '"').strip()


def _zone(tz: str) -> ZoneInfo | None:
    """The zone events of `tz` are written in; None means UTC."""
    return ZoneInfo(tz) if tz in _EU_ZONES else None


def _local(value: datetime, tz: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the calendar builder")
    zone = _zone(tz)
    return value.astimezone(zone) if zone is not None else value.astimezone(UTC)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the calendar builder")
    return value.astimezone(UTC)


def vtimezone(tz: str) -> Timezone:
    """A static VTIMEZONE with one STANDARD and one DAYLIGHT block, each an RRULE, no RDATE."""
    std_name, dst_name, std_offset, dst_offset = _EU_ZONES[tz]
    zone = Timezone()
    zone.add("tzid", tz)
    zone.add("x-lic-location", tz)
    daylight = TimezoneDaylight()
    daylight.add("tzname", dst_name)
    # the change at 01:00 UTC, as the local wall-clock time the block starts from
    daylight.add("dtstart", datetime(1970, 3, 29, 0, 0, 0) + _change_at(std_offset))
    daylight.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    standard = TimezoneStandard()
    standard.add("tzname", std_name)
    standard.add("dtstart", datetime(1970, 10, 25, 0, 0, 0) + _change_at(dst_offset))
    standard.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    # icalendar's offset type wants a timedelta; keep the text form exact instead.
    for block, frm, to in ((daylight, std_offset, dst_offset), (standard, dst_offset, std_offset)):
        block.add("tzoffsetfrom", _offset(frm))
        block.add("tzoffsetto", _offset(to))
        zone.add_component(block)
    return zone


def _change_at(offset_before: str) -> timedelta:
    return timedelta(hours=_EU_CHANGE_UTC_HOUR) + _offset(offset_before)


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def _rrule(rule: dict, tz: str) -> dict:
    out: dict = {}
    for key, value in rule.items():
        key = key.upper()
        if key == "UNTIL":
            if not isinstance(value, datetime):
                raise ValueError("RRULE UNTIL must be an aware datetime")
            # RFC 5545 3.3.10: with a zoned DTSTART, UNTIL must be given in UTC.
            value = _utc(value)
        out[key] = value
    return out


def _vevent(
    event: CalEvent,
    *,
    now: datetime,
    itip: bool,
    organizer: Person | None,
    attendee: Person | None,
) -> Event:
    tz = event.tz
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _utc(now))
    vevent.add("sequence", int(event.sequence))
    if event.recurrence_id is not None:
        vevent.add("recurrence-id", _local(event.recurrence_id, tz))
    vevent.add("dtstart", _local(event.starts_at, tz))
    vevent.add("dtend", _local(event.ends_at, tz))
    vevent.add("summary", _Text(event.summary))
    if not event.sealed and (event.description or event.url or event.location):
        vevent.add("description", _Text(_description(event)))
    if event.location:
        vevent.add("location", _Text(event.location))
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", event.status)
    vevent.add("transp", "OPAQUE")
    if event.confidential:
        vevent.add("class", "PRIVATE")
    if event.rrule and event.recurrence_id is None:
        vevent.add("rrule", _rrule(event.rrule, tz))
        if event.exdates:
            vevent.add("exdate", [_local(d, tz) for d in sorted(event.exdates)])
    if itip:
        assert organizer is not None and attendee is not None
        # A sealed date names no person as organizer (the group's owner would reveal it).
        organizer_name = SEALED_ORGANIZER if event.sealed else organizer.name or organizer.email
        vevent.add(
            "organizer",
            f"mailto:{organizer.email}",
            parameters={"CN": _param(organizer_name)},
        )
        vevent.add(
            "attendee",
            f"mailto:{attendee.email}",
            parameters={
                "CN": _param(attendee.name or attendee.email),
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            },
        )
    return vevent


def _description(event: CalEvent) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.location:
        parts.append(f"Video: {event.location}")
    if event.url:
        parts.append(f"peerlab: {event.url}")
    return "\n\n".join(parts)


def _expand(event: CalEvent) -> list[CalEvent]:
    """The master event followed by its overrides.

    An override replaces its instance completely (RFC 5545), so it takes the master's UID,
    zone, SEQUENCE and confidentiality, and the master's text, link and video room where it
    gives none of its own.
    """
    out = [event]
    for override in event.overrides:
        if override.recurrence_id is None:
            raise ValueError("an override needs a recurrence_id")
        out.append(
            replace(
                override,
                uid=event.uid,
                tz=event.tz,
                sequence=event.sequence,
                confidential=event.confidential,
                sealed=event.sealed,
                description=override.description or event.description,
                url=override.url or event.url,
                location=override.location or event.location,
                overrides=(),
                rrule=None,
                exdates=(),
            )
        )
    return out


def build_calendar(
    events: Iterable[CalEvent],
    *,
    method: str | None = None,
    name: str | None = None,
    organizer: Person | None = None,
    attendee: Person | None = None,
    now: datetime,
) -> bytes:
    """Serialize events as one VCALENDAR.

    method None/"PUBLISH": a feed or download (no ORGANIZER, no ATTENDEE; with `name` it gets
    NAME, X-WR-CALNAME and a one-hour refresh interval). "REQUEST"/"CANCEL": an iTIP message for
    exactly one UID, with `organizer` and the single `attendee` (the recipient).
    """
    if method not in METHODS:
        raise ValueError(f"unknown METHOD {method!r}")
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    events = list(events)
    itip = method in ("REQUEST", "CANCEL")
    if itip:
        if organizer is None or attendee is None:
            raise ValueError("an iTIP message needs an organizer and exactly one attendee")
        if len({e.uid for e in events}) != 1:
            raise ValueError("an iTIP message carries exactly one UID")
    elif attendee is not None or organizer is not None:
        raise ValueError("feeds and downloads name no organizer or attendee")

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("name", _Text(name))
        cal.add("x-wr-calname", _Text(name))
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))

    components = [c for e in events for c in _expand(e)]
    for tz in sorted({c.tz for c in components if _zone(c.tz) is not None}):
        cal.add_component(vtimezone(tz))
    for component in components:
        cal.add_component(
            _vevent(component, now=now, itip=itip, organizer=organizer, attendee=attendee)
        )
    return cal.to_ical()


def cancelled_occurrence(event: CalEvent, occurrence: datetime) -> CalEvent:
    """The CANCEL component for one occurrence of a series: RECURRENCE-ID, STATUS:CANCELLED."""
    if occurrence.tzinfo is None:
        raise ValueError("occurrence must be aware")
    moved = next(
        (
            o
            for o in event.overrides
            if o.recurrence_id and _utc(o.recurrence_id) == _utc(occurrence)
        ),
        None,
    )
    base = moved or event
    duration = event.ends_at - event.starts_at
    starts = moved.starts_at if moved else occurrence
    ends = moved.ends_at if moved else occurrence + duration
    return replace(
        base,
        uid=event.uid,
        starts_at=starts,
        ends_at=ends,
        recurrence_id=occurrence,
        status="CANCELLED",
        rrule=None,
        exdates=(),
        overrides=(),
        sequence=event.sequence,
    )


def build_request(event: CalEvent, *, organizer: Person, attendee: Person, now: datetime) -> bytes:
    """METHOD:REQUEST for one UID (with its overrides) to one attendee."""
    return build_calendar(
        [event], method="REQUEST", organizer=organizer, attendee=attendee, now=now
    )


def build_cancel(
    event: CalEvent,
    *,
    organizer: Person,
    attendee: Person,
    now: datetime,
    occurrence: datetime | None = None,
) -> bytes:
    """METHOD:CANCEL for the whole event, or for one occurrence (RECURRENCE-ID)."""
    if occurrence is None:
        cancelled = replace(
            event,
            status="CANCELLED",
            overrides=tuple(replace(o, status="CANCELLED") for o in event.overrides),
        )
    else:
        cancelled = cancelled_occurrence(event, occurrence)
    return build_calendar(
        [cancelled], method="CANCEL", organizer=organizer, attendee=attendee, now=now
    )


def build_feed(events: Sequence[CalEvent], *, name: str, now: datetime) -> bytes:
    """A subscription feed or a download: PUBLISH, no attendees, refreshed hourly."""
    return build_calendar(events, method="PUBLISH", name=name, now=now)
