"""Fixtures for the calendar tests: the test circle source, registered per app; the feed
world (feed_world.py)."""

from __future__ import annotations

from tests.ical.circle_source import app_features, circles  # noqa: F401 - pytest fixtures
from tests.ical.feed_world import quick_user, world  # noqa: F401 - pytest fixtures
