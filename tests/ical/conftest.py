"""Fixtures for the calendar tests."""

from __future__ import annotations

import pytest

from tests.ical.circle_source import CircleFeature, CircleSource


@pytest.fixture
def circles() -> CircleSource:
    """A test source of weekly circle meetings, registered in this test's app only."""
    return CircleSource()


@pytest.fixture
def app_features(circles):
    return (CircleFeature(circles),)
