"""Fixtures for the calendar tests: the test circle source, registered per app."""

from __future__ import annotations

from tests.ical.circle_source import app_features, circles  # noqa: F401 - pytest fixtures
