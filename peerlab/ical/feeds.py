"""Personal and series feeds, listed before they are rendered: the ETag is a fingerprint of the
completed dates, so an unchanged feed answers 304 without building the calendar
(docs/calendar.md, "Feed ETag = fingerprint")."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from peerlab.accounts.models import User
from peerlab.core.errors import NotFound
from peerlab.ical import builder, feed_cache, service, sources
from peerlab.ical.feed_cache import FeedKey
from peerlab.ical.model import CalEvent

# Raise when the builder renders the same dates differently (so cached copies are replaced).
FEED_FORMAT = "1"


@dataclass(frozen=True)
class Feed:
    """A feed's dates and name, listed but not yet built: `tag` tells a calendar app whether
    its copy is current (304) before anything is rendered; `build()` renders the .ics, `body()`
    takes it from the feed cache when this feed was built for the same fingerprint. `key` says
    whose feed it is (access to it is checked before a Feed is made)."""

    events: list[CalEvent]
    name: str
    now: datetime
    key: FeedKey

    @cached_property
    def tag(self) -> str:
        return fingerprint(self.events, self.name)

    def build(self) -> bytes:
        return builder.build_feed(self.events, name=self.name, now=self.now)

    def body(self) -> bytes:
        """The .ics, rendered only if this feed changed since it was last rendered here (the
        kept copy's DTSTAMP is that of its rendering: without METHOD, DTSTAMP means the time of
        the last revision, RFC 5545 3.8.7.2, and nothing was revised)."""
        return feed_cache.current().body(self.key, self.tag, self.build)


def fingerprint(events: list[CalEvent], name: str) -> str:
    """The ETag of a feed from its completed dates: every field a source gives (title, times,
    recurrence, link, status, confidentiality, zone) and what the calendar adds (SEQUENCE,
    dropped occurrences, cancellation). Derived by the calendar from each source's own listing
    rather than from a per-source summary, so no source can forget a column and leave a
    calendar app with a stale copy; it costs the listing's queries, not the rendering."""
    digest = hashlib.sha256(f"{FEED_FORMAT}\n{name}\n".encode())
    for event in events:
        digest.update(repr(event).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:32]


def personal_feed_of(user: User, now: datetime, name: str) -> Feed:
    return Feed(service.personal_events(user, now), name, now, FeedKey("personal", None, user.id))


def series_feed_of(series_kind: str, series_id: int, user: User, now: datetime) -> Feed:
    """The feed of one series, for a user who may see it; NotFound otherwise."""
    source = sources.series_source(series_kind)
    title = source.series_title(series_id)
    if title is None or not source.can_view_series(series_id, user):
        raise NotFound()
    events = service.feed_events(source.series_events(series_id, user, now), own=True)
    return Feed(events, title, now, FeedKey("series", (series_kind, series_id), user.id))
