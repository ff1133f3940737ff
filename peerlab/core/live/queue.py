"""The Redis message queue of a web process, and what happens when Redis goes away.

python-socketio's RedisManager already reconnects its listener by itself, but (a) it waits
1, 2, 4 … up to 60 s between attempts, so after a longer outage a process stays deaf for up to
a minute after Redis is back, (b) nobody can ask it whether it hears right now (`/healthz`
answered "ok" while it did not), and (c) what other processes broadcast while it was deaf is
gone for good (pub/sub keeps nothing), so its boards stay behind until the next change.

`RedisQueue` is the same manager with a listener of our own: it retries every
`RETRY_FIRST` … `RETRY_MAX` seconds, says whether it hears (`deaf()`, used by /healthz), and
when it hears again after a loss it tells every socket of this process `live:resync`, on which
the browser asks for a full snapshot (static/js/live/connection.js). Publishing is unchanged
(the library retries a failed publish once on a fresh connection).
"""

from __future__ import annotations

import logging
import time

import socketio
from socketio.manager import Manager

log = logging.getLogger(__name__)

RESYNC_EVENT = "live:resync"
RETRY_FIRST = 0.5
RETRY_MAX = 5.0


class RedisQueue(socketio.RedisManager):
    """RedisManager whose listener knows whether it hears and catches its sockets up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.listening = False  # the listener has been started (on the first connection)
        self.hearing = False  # subscribed right now
        self.lost = False  # lost since it last heard: the sockets need a resync

    def deaf(self) -> bool:
        """True when this process should hear the queue but does not."""
        return self.listening and not self.hearing

    def _redis_listen_with_retries(self):  # the library's hook for its listener
        self.listening = True
        delay = RETRY_FIRST
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                self.hearing = True
                delay = RETRY_FIRST
                if self.lost:
                    self.lost = False
                    log.info("message queue: hearing again, asking the boards to resync")
                    self._resync_local_sockets()
                yield from self.pubsub.listen()
            except Exception as exc:  # any loss of the connection: try again, a little later
                if self.hearing or not self.lost:
                    log.error("message queue lost (%s); retrying", type(exc).__name__)
            self.hearing = False
            self.lost = True
            self._close_pubsub()
            time.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)

    def _close_pubsub(self) -> None:
        """Let go of the broken connection before the next attempt opens a new one."""
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:
            log.debug("closing the old subscription failed", exc_info=True)

    def _resync_local_sockets(self) -> None:
        """Tell this process's own sockets (not through Redis: the others did not miss
        anything) that broadcasts may have been missed."""
        for namespace in list(self.get_namespaces()):
            try:
                Manager.emit(self, RESYNC_EVENT, {}, namespace=namespace)
            except Exception:
                log.exception("resync of namespace %s failed", namespace)


def manager_for(url: str | None, channel: str):
    """Our manager for a Redis URL; None for anything else (Flask-SocketIO picks)."""
    if url and url.startswith(("redis://", "rediss://")):
        return RedisQueue(url, channel=channel)
    return None


def deaf(server) -> bool:
    """Does this process's queue listener miss broadcasts right now?"""
    manager = getattr(server, "manager", None) if server is not None else None
    return isinstance(manager, RedisQueue) and manager.deaf()
