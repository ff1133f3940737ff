"""One server-side timebox (deadline, pause, resume, extend, expiry) for every live format.

The server owns the clock: clients get `ends_at` plus the server's `now` and render from that.
Expiry is claimed by the due job with a conditional update, so it happens exactly once and
nothing is lost across a restart; the claim becomes a due item (core.due) that runs the
feature's handler, registered with `register_expiry(kind, fn)` in its init_app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core import registry
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

IDLE, RUNNING, PAUSED, EXPIRED = "idle", "running", "paused", "expired"
EXPIRY_KIND = "core.timebox.expired"  # the due-item kind that runs a box's expiry handler
MAX_SECONDS = 4 * 60 * 60

ExpiryHandler = Callable[["Timebox", datetime], None]


class Timebox(db.Model):
    __tablename__ = "timeboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(10), default=IDLE)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    remaining_seconds: Mapped[int | None] = mapped_column(Integer)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extensions: Mapped[int] = mapped_column(Integer, default=0)


def register_expiry(kind: str, fn: ExpiryHandler) -> None:
    """What happens when a box of this kind runs out; call it from the feature's init_app.
    The handler flushes, never commits (it runs as a due item, see `apply_expiry`). Added to
    the app being built; a second handler for one kind is an error."""
    registry.current().add("expiry_handlers", kind, fn)


def _check_seconds(seconds: int) -> int:
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= MAX_SECONDS:
        raise InvalidInput(str(_l("Die Dauer muss zwischen 1 Sekunde und 4 Stunden liegen.")))
    return seconds


def create(kind: str, subject_id: int) -> Timebox:
    box = Timebox(kind=kind, subject_id=subject_id, status=IDLE, duration_seconds=0, extensions=0)
    db.session.add(box)
    db.session.flush()
    return box


def attached(owner, kind: str) -> Timebox:
    """The box of a subject that keeps it in `owner.timebox_id` (a round, an agenda), created
    on first use."""
    box = db.session.get(Timebox, owner.timebox_id) if owner.timebox_id else None
    if box is None:
        box = create(kind, owner.id)
        owner.timebox_id = box.id
    return box


def start(box: Timebox, seconds: int, *, now: datetime) -> Timebox:
    """(Re)start the box with a fresh deadline."""
    seconds = _check_seconds(seconds)
    box.status = RUNNING
    box.duration_seconds = seconds
    box.ends_at = now + timedelta(seconds=seconds)
    box.remaining_seconds = None
    box.expired_at = None
    db.session.flush()
    return box


def pause(box: Timebox, *, now: datetime) -> Timebox:
    if box.status != RUNNING:
        raise Conflict(str(_l("Der Timer läuft nicht.")), code="timer_not_running")
    assert box.ends_at is not None
    box.remaining_seconds = max(0, int((box.ends_at - now).total_seconds() + 0.999))
    box.ends_at = None
    box.status = PAUSED
    db.session.flush()
    return box


def resume(box: Timebox, *, now: datetime) -> Timebox:
    if box.status != PAUSED:
        raise Conflict(str(_l("Der Timer ist nicht pausiert.")), code="timer_not_paused")
    box.ends_at = now + timedelta(seconds=max(1, box.remaining_seconds or 0))
    box.remaining_seconds = None
    box.status = RUNNING
    db.session.flush()
    return box


def extend(box: Timebox, seconds: int, *, now: datetime) -> Timebox:
    """Add time: a running box gets a later deadline, a paused one more remaining time,
    an idle or expired one starts again with `seconds`."""
    seconds = _check_seconds(seconds)
    box.extensions += 1
    if box.status == RUNNING and box.ends_at is not None:
        box.ends_at = box.ends_at + timedelta(seconds=seconds)
        box.duration_seconds += seconds
    elif box.status == PAUSED:
        box.remaining_seconds = (box.remaining_seconds or 0) + seconds
        box.duration_seconds += seconds
    else:
        start(box, seconds, now=now)
    db.session.flush()
    return box


def stop(box: Timebox) -> Timebox:
    box.status = IDLE
    box.ends_at = None
    box.remaining_seconds = None
    db.session.flush()
    return box


def remaining(box: Timebox, *, now: datetime) -> int:
    if box.status == RUNNING and box.ends_at is not None:
        return max(0, int((box.ends_at - now).total_seconds() + 0.999))
    if box.status == PAUSED:
        return box.remaining_seconds or 0
    return 0


def snapshot(box: Timebox | None, *, now: datetime) -> dict:
    """What clients need to render the timer: deadline and server time, never ticks."""
    if box is None:
        return {
            "status": IDLE,
            "ends_at": None,
            "remaining_seconds": 0,
            "duration_seconds": 0,
            "server_now": now.isoformat(),
        }
    return {
        "status": box.status,
        "ends_at": box.ends_at.isoformat() if box.ends_at else None,
        "remaining_seconds": remaining(box, now=now),
        "duration_seconds": box.duration_seconds,
        "extensions": box.extensions,
        "server_now": now.isoformat(),
    }


def process_expired(now: datetime) -> int:
    """Turn every box whose deadline passed into an expiry due item, once per box.

    The claim (RUNNING -> EXPIRED) and the due item commit together, box by box; the kind's
    handler then runs as a due item (core.due): isolated from other boxes, with attempts and a
    retry delay, so one failing handler neither blocks the others nor runs every tick.
    """
    from peerlab.core import due

    due_ids = db.session.scalars(
        select(Timebox.id).where(Timebox.status == RUNNING, Timebox.ends_at <= now)
    ).all()
    db.session.rollback()
    done = 0
    for box_id in due_ids:
        claimed = db.session.execute(
            update(Timebox)
            .where(Timebox.id == box_id, Timebox.status == RUNNING, Timebox.ends_at <= now)
            .values(status=EXPIRED, expired_at=now, ends_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        box = db.session.get(Timebox, box_id)
        db.session.refresh(box)
        due.schedule(
            EXPIRY_KIND,
            due_at=now,
            now=now,
            subject=(box.kind, box.subject_id),
            payload={"timebox_id": box.id, "expired_at": now.isoformat()},
        )
        db.session.commit()
        done += 1
    return done


def apply_expiry(item, now: datetime) -> None:
    """Due-item handler: run the box kind's expiry handler, unless the box moved on since
    (restarted, extended or deleted before a retry came round)."""
    box = db.session.get(Timebox, item.payload.get("timebox_id"))
    if box is None or box.status != EXPIRED or box.expired_at is None:
        return
    if box.expired_at.isoformat() != item.payload.get("expired_at"):
        return
    handler = registry.current().get("expiry_handlers", box.kind)
    if handler is not None:
        handler(box, now)
