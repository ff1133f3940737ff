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

from sqlalchemy import select

from peerlab.core import registry
from peerlab.core.spaces import Membership
from peerlab.extensions import db

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


def report_space(
    kind: str, space_id: int, *, now: datetime, besides: int | None = None
) -> frozenset[int]:
    """Report to the active account members of a space (core.spaces), except `besides` (the
    author of a named contribution; leave it None where authorship must stay hidden)."""
    ids = db.session.scalars(
        select(Membership.user_id).where(
            Membership.space_kind == kind,
            Membership.space_id == space_id,
            Membership.status == "active",
            Membership.user_id.is_not(None),
        )
    ).all()
    return report((uid for uid in ids if uid != besides), now=now)
