"""Fixtures for the calendar tests."""

from __future__ import annotations

import pytest

from peerlab.ical import sources
from tests.ical.circle_source import CircleSource


@pytest.fixture
def circles():
    """A registered test source of weekly circle meetings; removed after the test."""
    source = CircleSource()
    sources.register(source)
    yield source
    sources.unregister(source.kind)
