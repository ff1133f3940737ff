"""The two independent parsers every calendar of peerlab must satisfy, plus line checks.

- recurring_ical_events (PyPI, on top of icalendar) expands occurrences in Python;
- ical.js (npm, Thunderbird's parser) runs in node through icaljs_expand.mjs.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import recurring_ical_events

from tests.support.services import need_node

SCRIPT = Path(__file__).with_name("icaljs_expand.mjs")
WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Occurrence:
    uid: str
    summary: str
    start_utc: datetime
    start_local: str  # "2026-03-03T10:00:00" in the event's own zone


def icaljs(ics: bytes) -> dict:
    """What ical.js understood: calendar properties, VEVENTs and expanded occurrences."""
    node = need_node()
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=ics,
        capture_output=True,
        timeout=60,
        cwd=SCRIPT.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def icaljs_occurrences(ics: bytes) -> list[Occurrence]:
    data = icaljs(ics)
    return sorted(
        (
            Occurrence(
                uid=o["uid"],
                summary=o["summary"],
                start_utc=datetime.strptime(o["start_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=UTC
                ),
                start_local=o["start_local"],
            )
            for o in data["occurrences"]
        ),
        key=lambda o: o.start_utc,
    )


def rie_occurrences(ics: bytes) -> list[Occurrence]:
    """Occurrences as recurring_ical_events expands them (cancelled ones included)."""
    cal = icalendar.Calendar.from_ical(ics)
    found = recurring_ical_events.of(cal).between(*WINDOW)
    out = []
    for event in found:
        start = event["DTSTART"].dt
        out.append(
            Occurrence(
                uid=str(event["UID"]),
                summary=str(event["SUMMARY"]),
                start_utc=start.astimezone(UTC),
                start_local=start.strftime("%Y-%m-%dT%H:%M:%S"),
            )
        )
    return sorted(out, key=lambda o: o.start_utc)


def unfolded(ics: bytes) -> list[str]:
    """Content lines after unfolding (RFC 5545 3.1)."""
    text = ics.decode("utf-8")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def physical_lines(ics: bytes) -> list[bytes]:
    assert ics.endswith(b"\r\n")
    return ics[:-2].split(b"\r\n")


def assert_wire_format(ics: bytes) -> None:
    """CRLF only, no line over 75 octets, every physical line valid UTF-8 on its own."""
    assert b"\n" not in ics.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in ics.replace(b"\r\n", b""), "bare CR"
    for line in physical_lines(ics):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a UTF-8 character


def components(ics: bytes, name: str) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(ics).walk(name))
