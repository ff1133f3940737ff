"""Due items: every time-driven thing is a row with a due time and a done mark.

Two kinds of work run from one periodic job (`run_due(now)`):
- *due items*: rows of `due_items`, one handler per kind (`register_kind`). Each row is applied
  in its own transaction, claimed first by `UPDATE … SET done_at=:now WHERE id=:id AND done_at IS
  NULL`, so two runners never both apply it. A failing handler rolls back its own work, the
  failure is recorded (attempts, last_error) and the row is due again after a delay; after
  `max_attempts` it is marked failed and left alone (admins see it on /verwaltung/aufgaben and
  may start it again: `failed_items`, `retry`). Other rows go on.
- *processors* (`register(name, fn)`): functions that scan their own tables (mail sender, purges,
  presence sweep). Each runs isolated: what it leaves uncommitted is rolled back, and one that
  raises is skipped for a growing delay instead of failing every tick.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core import registry
from peerlab.core.errors import NotFound
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

log = logging.getLogger(__name__)

Processor = Callable[[datetime], int]

BATCH = 100
DEFAULT_MAX_ATTEMPTS = 5


class DueItem(db.Model):
    """One piece of time-driven work about one subject (kind + id), applied once."""

    __tablename__ = "due_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    subject_kind: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        db.Index("ix_due_items_pending", "done_at", "failed_at", "due_at"),
        db.Index("ix_due_items_subject", "subject_kind", "subject_id"),
    )


Handler = Callable[[DueItem, datetime], None]


@dataclass(frozen=True)
class Kind:
    handler: Handler
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


def register(name: str, fn: Processor) -> None:
    """A periodic processor that scans its own table; it commits what it wants to keep.
    Added to the app being built (called from init_app; twice is an error)."""
    registry.current().job(name, fn)


def processors() -> dict[str, Processor]:
    return dict(registry.current().items("jobs"))


def register_kind(kind: str, handler: Handler, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
    """What to do when an item of this kind is due. The handler flushes, never commits.
    Added to the app being built (called from init_app; twice is an error)."""
    registry.current().add("due_kinds", kind, Kind(handler, max_attempts))


def kinds() -> dict[str, Kind]:
    """The due-item kinds of the current app."""
    return dict(registry.current().items("due_kinds"))


def schedule(
    kind: str,
    *,
    due_at: datetime,
    now: datetime,
    subject: tuple[str, int] | None = None,
    payload: dict | None = None,
) -> DueItem:
    """Add a due item in the caller's transaction (flush, no commit)."""
    item = DueItem(
        kind=kind,
        subject_kind=subject[0] if subject else None,
        subject_id=subject[1] if subject else None,
        due_at=due_at,
        payload=payload or {},
        attempts=0,
        last_error="",
        created_at=now,
    )
    db.session.add(item)
    db.session.flush()
    return item


def retry_delay(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … at most an hour: a broken item does not run every tick."""
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


def apply_one(item_id: int, now: datetime) -> bool:
    """Claim and apply one item in its own transaction; False if someone else had it."""
    claimed = db.session.execute(
        update(DueItem)
        .where(
            DueItem.id == item_id,
            DueItem.done_at.is_(None),
            DueItem.failed_at.is_(None),
            DueItem.due_at <= now,
        )
        .values(done_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    item = db.session.get(DueItem, item_id)
    db.session.refresh(item)
    kind = registry.current().get("due_kinds", item.kind)
    if kind is None:  # no handler in this process (any more): leave the item for one that has
        db.session.rollback()
        return False
    try:
        kind.handler(item, now)
        db.session.commit()
    except Exception as err:
        # The rollback also undoes the claim; the failure is written in a transaction of its
        # own, so the item is due again only after a delay and gives up after max_attempts.
        db.session.rollback()
        log.exception("due item %s (%s) failed", item_id, item.kind)
        _record_failure(item_id, err, kind.max_attempts, now)
        return False
    return True


def _record_failure(item_id: int, err: Exception, max_attempts: int, now: datetime) -> None:
    item = db.session.get(DueItem, item_id)
    if item is None or item.done_at is not None:  # deleted or applied by another runner
        db.session.rollback()
        return
    item.attempts += 1
    item.last_error = f"{type(err).__name__}: {str(err)[:500]}"
    if item.attempts >= max_attempts:
        item.failed_at = now
        log.error("due item %s given up after %d attempts", item_id, item.attempts)
    else:
        item.due_at = now + retry_delay(item.attempts)
    db.session.commit()


# --- items given up: what admins see and may start again ------------------------------------
ERROR_SHOWN = 160  # characters of last_error on the admin page
_ADDRESS = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+")


@dataclass(frozen=True)
class FailedItem:
    """A due item given up after max_attempts, as the admin page shows it: no payload, and
    the error short, on one line, without mail addresses."""

    id: int
    kind: str
    subject: str
    due_at: datetime
    attempts: int
    error: str
    failed_at: datetime


def short_error(text: str, limit: int = ERROR_SHOWN) -> str:
    line = " ".join((text or "").split())
    line = _ADDRESS.sub("…@…", line)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def failed_items(*, limit: int = 200) -> list[FailedItem]:
    """Items given up, the most recent first (at most `limit`)."""
    rows = db.session.scalars(
        select(DueItem)
        .where(DueItem.failed_at.is_not(None))
        .order_by(DueItem.failed_at.desc(), DueItem.id.desc())
        .limit(limit)
    ).all()
    return [
        FailedItem(
            id=row.id,
            kind=row.kind,
            subject=f"{row.subject_kind} {row.subject_id}" if row.subject_kind else "",
            due_at=row.due_at,
            attempts=row.attempts,
            error=short_error(row.last_error),
            failed_at=row.failed_at,  # type: ignore[arg-type]
        )
        for row in rows
    ]


def count_failed() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(DueItem).where(DueItem.failed_at.is_not(None))
        )
        or 0
    )


def retry(item_id: int, *, now: datetime) -> DueItem:
    """Start a given-up item again: due now, with a fresh set of attempts (flush, the caller
    commits). The last error stays until the next attempt replaces it. NotFound for an item
    that does not exist or was not given up (also when two admins click at once)."""
    changed = db.session.execute(
        update(DueItem)
        .where(DueItem.id == item_id, DueItem.failed_at.is_not(None), DueItem.done_at.is_(None))
        .values(failed_at=None, attempts=0, due_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise NotFound()
    item = db.session.get(DueItem, item_id)
    db.session.refresh(item)
    log.info("due item %s (%s) started again by an admin", item_id, item.kind)
    return item


def apply_due_items(now: datetime) -> int:
    """The processor of the due_items table: every due item of a known kind, each isolated."""
    known = list(registry.current().items("due_kinds"))
    if not known:
        return 0
    ids = db.session.scalars(
        select(DueItem.id)
        .where(
            DueItem.done_at.is_(None),
            DueItem.failed_at.is_(None),
            DueItem.due_at <= now,
            DueItem.kind.in_(known),
        )
        .order_by(DueItem.due_at, DueItem.id)
        .limit(BATCH)
    ).all()
    db.session.rollback()
    return sum(1 for item_id in ids if apply_one(item_id, now))


def run_due(now: datetime) -> dict[str, int]:
    """Run every processor once, each isolated; -1 marks one that failed or is backing off."""
    results: dict[str, int] = {}
    # name -> (consecutive failures, not before), kept per app (tests build many apps).
    backoff: dict[str, tuple[int, datetime]] = current_app.extensions.setdefault(
        "peerlab.due_backoff", {}
    )
    for name, fn in processors().items():
        failures, not_before = backoff.get(name, (0, now))
        if now < not_before:
            results[name] = -1
            continue
        try:
            results[name] = fn(now)
            backoff.pop(name, None)
        except Exception:
            log.exception("due processor %s failed", name)
            results[name] = -1
            backoff[name] = (failures + 1, now + retry_delay(failures + 1))
        finally:
            # A processor commits what it keeps; leftovers must not ride on the next one's commit.
            db.session.rollback()
    return results


def init_app(app) -> None:
    """Core's own jobs: timebox expiry (turned into due items), then the due items themselves."""
    from peerlab.core import subjects, timebox

    register("core.timebox", timebox.process_expired)
    register("core.due_items", apply_due_items)
    register_kind(timebox.EXPIRY_KIND, timebox.apply_expiry)
    subjects.register_reference("core.timeboxes", timebox.Timebox, "kind", "subject_id")
    subjects.register_reference("core.due_items", DueItem, "subject_kind", "subject_id")
