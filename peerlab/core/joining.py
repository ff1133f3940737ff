""" "Jetzt teilnehmen": one rule for every format, when a date can be joined and where.

A format registers, per kind of date, how to find a date for a person:
`registry.join_link("circles.meeting", lookup)` with `lookup(subject_id, user)` returning a
`JoinTarget` (where to join, start, planned end, closed/cancelled) or None when the date does
not exist or is not this person's. The shell (dashboard, invitation page) asks `join_url`,
which applies the one window: from 15 minutes before the start until the date is closed,
cancelled or 30 minutes past its planned end. `now` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peerlab.core import registry

OPENS_BEFORE = timedelta(minutes=15)
STAYS_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class JoinTarget:
    url: str  # where the person joins (the format's live page)
    starts_at: datetime  # aware
    ends_at: datetime  # planned end, aware
    closed: bool = False  # ended by its facilitator (earlier or later than planned)
    cancelled: bool = False


Lookup = Callable[[int, Any], JoinTarget | None]


def may_join_now(target: JoinTarget, now: datetime) -> bool:
    """True from 15 minutes before the start until closed, cancelled or 30 minutes past the
    planned end (that moment itself no longer counts)."""
    if target.closed or target.cancelled:
        return False
    return target.starts_at - OPENS_BEFORE <= now < target.ends_at + STAYS_AFTER


def may_open_soon(starts_at: datetime, now: datetime) -> bool:
    """A cheap pre-check before asking the format: a date starting later than 15 minutes from
    now cannot be joined yet, whatever else holds."""
    return starts_at - OPENS_BEFORE <= now


def join_url(kind: str, subject_id: int | None, user: Any, now: datetime) -> str | None:
    """The "Jetzt teilnehmen" link of one date for `user` at `now`, or None (not yet, no longer,
    not theirs, or a kind of date that registered no way to join)."""
    if subject_id is None or user is None:
        return None
    lookup = registry.current().get("join_links", kind)
    if lookup is None:
        return None
    target = lookup(subject_id, user)
    if target is None or not may_join_now(target, now):
        return None
    return target.url
