"""Rate limits counted in the database, so every process sees the same attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from peerlab.accounts.models import RateEvent
from peerlab.core.errors import RateLimited
from peerlab.extensions import db


def hit(key: str, *, limit: int, window_seconds: int, now: datetime) -> None:
    """Count one attempt for `key`; raise RateLimited when the window is full."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    since = now - timedelta(seconds=window_seconds)
    count = db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.key == key, RateEvent.at > since)
    )
    if count >= limit:
        raise RateLimited()
    db.session.add(RateEvent(key=key[:120], at=now))
    db.session.flush()


def purge(now: datetime) -> int:
    """Forget attempts older than a day (due-item processor)."""
    result = db.session.execute(delete(RateEvent).where(RateEvent.at < now - timedelta(days=1)))
    db.session.commit()
    return result.rowcount or 0
