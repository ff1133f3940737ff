"""Fixtures for the calendar tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.ical.circle_source import SERIES_START, app_features, circles  # noqa: F401 - pytest fixtures


@pytest.fixture
def person(mail_app):
    """Create an active account in the mail app (language and time zone selectable)."""
    from peerlab.accounts import service
    from peerlab.extensions import db

    counter = {"n": 0}

    def factory(
        *, name: str, language: str = "de", timezone: str = "Europe/Berlin", role: str = "member"
    ):
        counter["n"] += 1
        clock = mail_app.extensions["peerlab.clock"]
        user = service.create_user(
            email=f"person{counter['n']}@kommune{counter['n']}.example",
            name=name,
            role=role,
            language=language,
            now=clock.now(),
        )
        user.timezone = timezone
        db.session.commit()
        return user

    return factory


@pytest.fixture
def mail_clock(mail_app):
    """Pinned before the test series of March 2026 (a DST case), whatever today is."""
    clock = mail_app.extensions["peerlab.clock"]
    clock.set(SERIES_START - timedelta(days=12))
    return clock
