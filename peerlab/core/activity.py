"""Activity reports: "these people have something new in peerlab", and nothing more.

A format calls `report(user_ids, now=now)` in the transaction of the change (a new post, a new
check-in, a new topic). The report carries no format, no group, no subject, no count and no
author: whoever listens (the daily digest "Neues in peerlab", notify.digest) learns only that
each of these people has something new. Listeners register in their init_app
(`listen(name, fn)`) and flush, never commit.

Where authorship must stay hidden (an anonymous post in a confidential group), the format
reports every active member, the author included, so no row and no mail differs between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from peerlab.core import registry

Listener = Callable[[frozenset[int], datetime], None]


def listen(name: str, fn: Listener) -> None:
    """Add a listener to the app being built (from init_app)."""
    registry.current().add("activity_listeners", name, fn)


def report(user_ids: Iterable[int | None], *, now: datetime) -> frozenset[int]:
    """Tell every listener that these people have something new (flush, no commit)."""
    people = frozenset(int(uid) for uid in user_ids if uid is not None)
    if people:
        for fn in registry.current().items("activity_listeners").values():
            fn(people, now)
    return people
