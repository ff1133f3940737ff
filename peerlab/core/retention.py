"""Retention: content older than its retention is deleted for real, not only hidden.

Features register *purgers* in their init_app (`register(name, fn)`); `fn(now)` deletes what
has outlived its retention (rows, the queued and sent mails about it, timeboxes, calendar data
of ended dates), flushes, and says how many rows it reached in which tables (`Purged`). The
runner commits each purger on its own (one failing purger rolls back only its own work) and,
when anything was deleted, makes the deletion final in the files:

- SQLite runs with `PRAGMA secure_delete=ON` (core.db_setup), so a deleted row's bytes are
  overwritten; `PRAGMA wal_checkpoint(TRUNCATE)` then copies the overwritten pages into the
  database file and empties the -wal file, which still held the old page images.
- PostgreSQL: `VACUUM (ANALYZE)` of the affected tables, outside any transaction, so the dead
  tuples are reclaimed now instead of whenever autovacuum comes by.

Backups are outside peerlab's reach; docs/confidentiality.md says how long they may keep content.
The periodic job (`core.retention`) runs the purgers at most every RETENTION_INTERVAL_SECONDS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from peerlab.core import registry, subjects
from peerlab.extensions import db

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 300
_CHECKPOINT_TRIES = 50


@dataclass(frozen=True)
class Purged:
    """What one purge reached: rows deleted and the tables they were in."""

    rows: int = 0
    tables: frozenset[str] = field(default_factory=frozenset)

    def __add__(self, other: Purged) -> Purged:
        return Purged(self.rows + other.rows, self.tables | other.tables)


Purger = Callable[[datetime], Purged]


def register(name: str, fn: Purger) -> None:
    """Add a purger to the app being built (from init_app; a second one of a name fails)."""
    registry.current().add("purgers", name, fn)


def purgers() -> dict[str, Purger]:
    return dict(registry.current().items("purgers"))


def delete_rows(model, *conditions) -> Purged:
    """DELETE the rows of `model` matching all `conditions` (flush, no commit)."""
    result = db.session.execute(
        delete(model).where(*conditions).execution_options(synchronize_session="fetch")
    )
    count = result.rowcount or 0
    return Purged(count, frozenset({model.__tablename__}) if count else frozenset())


def from_subject(reached: Mapping[str, int]) -> Purged:
    """The result of core.subjects.delete_subject as a Purged (tables of the references hit)."""
    refs = subjects.references()
    tables = frozenset(t for name, n in reached.items() if n for t in refs[name].tables)
    return Purged(sum(reached.values()), tables)


def cutoff(now: datetime, days: int) -> datetime:
    """The moment before which content kept for `days` days has expired."""
    return now - timedelta(days=days)


def run(now: datetime, *, only: Iterable[str] | None = None) -> Purged:
    """Run every purger (or the named ones) once, each in its own transaction, then compact."""
    wanted = set(only) if only is not None else None
    total = Purged()
    for name, fn in purgers().items():
        if wanted is not None and name not in wanted:
            continue
        try:
            result = fn(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("purger %s failed", name)
            continue
        total = total + result
    state = _state()
    if total.rows or state.get("pending"):
        state["pending"] = not compact(total.tables | state.get("tables", frozenset()))
        state["tables"] = total.tables if state["pending"] else frozenset()
    return total


def _state() -> dict:
    """Per app: when the job last ran, and a checkpoint still owed (the WAL was busy)."""
    return current_app.extensions.setdefault("peerlab.retention", {})


def compact(tables: Iterable[str] = ()) -> bool:
    """Make deletions final in the files: checkpoint and truncate the WAL on SQLite, vacuum
    the given tables on PostgreSQL. Runs outside any transaction (commits the session).
    False when SQLite's WAL stayed busy: the next run tries again."""
    db.session.commit()
    engine = db.session.get_bind()
    if engine.dialect.name == "sqlite":
        return _checkpoint_sqlite(engine)
    if engine.dialect.name == "postgresql":
        _vacuum_postgresql(engine, tables)
    return True


def _checkpoint_sqlite(engine) -> bool:
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        for _ in range(_CHECKPOINT_TRIES):
            # busy=1 while another connection still reads old pages: wait and try again
            busy, _log_frames, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            time.sleep(0.02)
        log.warning("WAL checkpoint stayed busy; the next purge run tries again")
        return False
    finally:
        raw.close()


def _vacuum_postgresql(engine, tables: Iterable[str]) -> None:
    known = set(db.metadata.tables)
    names = sorted(t for t in set(tables) if t in known)  # never a name from elsewhere
    if not names:
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.exec_driver_sql(f'VACUUM (ANALYZE) "{name}"')


def process(now: datetime) -> int:
    """The periodic job: run the purgers at most every RETENTION_INTERVAL_SECONDS (per app)."""
    interval = current_app.config.get("RETENTION_INTERVAL_SECONDS", DEFAULT_INTERVAL_SECONDS)
    state = _state()
    last = state.get("last")
    if last is not None and now - last < timedelta(seconds=interval) and now >= last:
        return 0
    state["last"] = now
    return run(now).rows


def init_app(app) -> None:
    from peerlab.core import due

    due.register("core.retention", process)
