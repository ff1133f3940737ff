"""Built feed bodies kept in memory, so a calendar app that polls without If-None-Match does not
make peerlab render an unchanged feed again (rendering is most of a feed's cost,
docs/benchmark.md).

One entry per feed (kind, series, owner) holding the body of one fingerprint: a changed source
changes the fingerprint, so the entry misses and is replaced. Consulted only after the route
has resolved the token to its owner and checked the owner's access, so a revoked token or a
series the owner may no longer see is a 404 whatever is cached. Bounded by entries and bytes,
least recently used out first. Per process and per app: other processes keep their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "peerlab.ical.feed_cache"
DEFAULT_ENTRIES = 256
DEFAULT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FeedKey:
    """Which feed: `kind` "personal" or "series", the series (None for personal) and the
    person the feed belongs to."""

    kind: str
    series: Hashable | None
    owner_id: int


class FeedCache:
    """A bounded LRU of feed bodies by feed, each valid for one fingerprint. Thread- and
    gevent-safe: the lock guards only dictionary work (no I/O), rendering happens outside it,
    so two simultaneous misses of one feed both render and the later one is stored."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES, max_bytes: int = DEFAULT_BYTES):
        if max_entries < 0 or max_bytes < 0:
            raise ValueError("feed cache limits must not be negative")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[FeedKey, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: FeedKey, tag: str) -> bytes | None:
        """The body stored for this feed if it was built for this fingerprint."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != tag:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: FeedKey, tag: str, body: bytes) -> None:
        """Store a body (replacing the feed's older one); a body larger than a quarter of the
        byte limit is not kept, so one huge feed cannot push out all others."""
        with self._lock:
            self._drop(key)
            if self.max_entries == 0 or len(body) * 4 > self.max_bytes:
                return
            self._entries[key] = (tag, body)
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def discard(self, key: FeedKey) -> None:
        with self._lock:
            self._drop(key)

    def body(self, key: FeedKey, tag: str, build: Callable[[], bytes]) -> bytes:
        """The cached body for (feed, fingerprint), or `build()` it and keep it."""
        cached = self.get(key, tag)
        if cached is not None:
            return cached
        body = build()
        self.put(key, tag, body)
        return body

    def _drop(self, key: FeedKey) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[1])


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = FeedCache(
        max_entries=int(app.config.get("ICAL_FEED_CACHE_ENTRIES", DEFAULT_ENTRIES)),
        max_bytes=int(app.config.get("ICAL_FEED_CACHE_BYTES", DEFAULT_BYTES)),
    )


def current() -> FeedCache:
    """The cache of the running app."""
    return current_app.extensions[EXTENSION]
