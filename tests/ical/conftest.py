"""Fixtures for the calendar tests."""

from __future__ import annotations

import pytest

from peerlab.ical import sources
from tests.ical.circle_source import CircleSource


@pytest.fixture
def circles(monkeypatch):
    """A registered test source of weekly circle meetings; removed after the test, whatever
    happens (monkeypatch restores the registry)."""
    source = CircleSource()
    monkeypatch.setattr(sources, "_sources", {**sources._sources})
    sources.register(source)
    return source
