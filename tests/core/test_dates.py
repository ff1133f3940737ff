"""One date format everywhere, from Babel, in the reader's language and time zone (issue 8):
pages, the dashboard, the summary, the Markdown export and mails show the same weekday-day-
month-year form, no ISO dates and no "24.11.26"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from peerlab.i18n import format_day, format_when, zone_choices, zone_label

MOMENT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a pure formatting input


def test_the_house_format_in_both_languages_and_in_the_readers_zone(app):
    with app.test_request_context(), force_locale("de"):
        assert format_when(MOMENT, "Europe/Berlin") == "Dienstag, 24. November 2026, 09:00 Uhr"
        assert format_when(MOMENT, "America/New_York") == "Dienstag, 24. November 2026, 03:00 Uhr"
        assert format_day(date(2026, 12, 1)) == "Dienstag, 1. Dezember 2026"
        # a moment counts as the day it is where the reader lives
        assert format_day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "Asia/Tokyo") == (
            "Mittwoch, 2. Dezember 2026"
        )
    with app.test_request_context(), force_locale("en"):
        shown = format_when(MOMENT, "Europe/Berlin").replace("\u202f", " ")
        assert shown == "Tuesday, November 24, 2026, 9:00 AM"


def test_a_format_name_is_not_taken_for_a_zone(app):
    with app.test_request_context(), pytest.raises(Exception):
        format_when(MOMENT, "short")


def test_time_zones_are_named_in_the_readers_language_common_ones_first(app):
    with app.test_request_context():
        with force_locale("de"):
            common, rest = zone_choices({"Europe/Berlin", "Europe/Vienna", "Asia/Tokyo", "UTC"})
            assert common == [
                ("Europe/Berlin", "Deutschland (Berlin)"),
                ("Europe/Vienna", "Österreich"),
            ]
            assert rest == [("Asia/Tokyo", "Japan"), ("UTC", "UTC")]
            assert zone_label("Europe/Kiev") == zone_label("Europe/Kyiv")
        with force_locale("en"):
            assert zone_label("Europe/Berlin") == "Germany (Berlin)"
