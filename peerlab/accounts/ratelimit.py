"""Rate limits counted in the database, so every process sees the same attempts.

Sign-in limits count failures only (a wrong password, a wrong code): a kickoff where a whole
city hall signs in from one network address must not lock itself out. Mail requests (sign-in
link, password reset) count every request, because their answer must not tell whether an
address has an account; their per-address limit is sized for a shared office network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from peerlab.accounts.models import RateEvent
from peerlab.core.errors import RateLimited
from peerlab.extensions import db


@dataclass(frozen=True)
class Limit:
    """At most `count` counted attempts per key within `seconds`."""

    count: int
    seconds: int


# One network address can be a whole office behind one router: 50 people signing in within
# five minutes, each mistyping a password now and then, stay well inside these.
LOGIN_FAILURES_PER_ADDRESS = Limit(100, 300)
LOGIN_FAILURES_PER_ACCOUNT = Limit(10, 900)
MAIL_REQUESTS_PER_ADDRESS = Limit(150, 900)  # 50 people, three requests each
MAIL_REQUESTS_PER_MAILBOX = Limit(3, 900)
CODE_FAILURES_PER_ACCOUNT = Limit(10, 900)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def check(key: str, limit: Limit, *, now: datetime) -> None:
    """Raise RateLimited when `key` already has `limit.count` attempts in the window."""
    if not _enabled():
        return
    since = now - timedelta(seconds=limit.seconds)
    count = db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.key == key[:120], RateEvent.at > since)
    )
    if count >= limit.count:
        raise RateLimited()


def record(key: str, *, now: datetime) -> None:
    """Count one attempt (for sign-ins: one failure) for `key`."""
    if not _enabled():
        return
    db.session.add(RateEvent(key=key[:120], at=now))
    db.session.flush()


def hit(key: str, limit: Limit, *, now: datetime) -> None:
    """Check, then count this attempt: for requests whose every attempt counts."""
    check(key, limit, now=now)
    record(key, now=now)


def purge(now: datetime) -> int:
    """Forget attempts older than a day (due-item processor)."""
    result = db.session.execute(delete(RateEvent).where(RateEvent.at < now - timedelta(days=1)))
    db.session.commit()
    return result.rowcount or 0
