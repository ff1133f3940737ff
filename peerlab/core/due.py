"""Due-item processing: every time-driven thing is a row with a due time and a done mark.

A periodic job calls `run_due(now)`; each registered processor applies what is due with a
conditional update and commits per item, so a restart or a missed run loses nothing.
Processors are registered per app (core.registry, slot "jobs"), in a feature's init_app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from peerlab.core import registry
from peerlab.extensions import db

log = logging.getLogger(__name__)
Processor = Callable[[datetime], int]


def register(name: str, fn: Processor) -> None:
    """Add a processor to the app being built (called from init_app; twice is an error)."""
    registry.current().job(name, fn)


def processors() -> dict[str, Processor]:
    return dict(registry.current().items("jobs"))


def run_due(now: datetime) -> dict[str, int]:
    """Run every processor once; one failing processor does not stop the others."""
    results: dict[str, int] = {}
    for name, fn in processors().items():
        try:
            results[name] = fn(now)
        except Exception:
            db.session.rollback()
            log.exception("due processor %s failed", name)
            results[name] = -1
    return results
