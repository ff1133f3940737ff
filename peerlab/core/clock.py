"""The injectable clock. Services take `now` as a parameter; entry points ask the app's clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import current_app


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class AdjustableClock:
    """System time plus an offset that tests move forward (only in apps built for testing)."""

    def __init__(self, offset: timedelta = timedelta()) -> None:
        self._offset = offset
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def set(self, moment: datetime) -> datetime:
        """Jump to `moment` (aware); the clock keeps running from there."""
        with self._lock:
            self._offset = moment - datetime.now(UTC)
        return self.now()

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()


def get_clock() -> Clock:
    return current_app.extensions["peerlab.clock"]


def utcnow() -> datetime:
    """The current time from the app's clock (for entry points, never for services)."""
    return get_clock().now()
