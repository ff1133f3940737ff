"""Client actions applied once: a retried action after a reconnect is not applied again.

A client names each action it sends (`request_id`, its own choice: 8–64 letters, digits, `-`
or `_`, unique per person). The id is recorded in the action's own transaction, keyed by the
namespace and the sender's identity room (`user:5`, `guest:8`), under a unique constraint. A
second arrival of the same id (the client did not get the ack before its connection dropped
and sends again, maybe to another process) finds the row and is answered with the first
answer's ids, marked `repeated`, without running the handler. An action that was refused
leaves no row (its transaction rolled back): sending it again is checked again.

Only whole numbers of the first answer are kept (ids of what the action created, seconds
added): no text, no private state. Rows are deleted after KEEP (a due job): a client retries
within seconds, never a day later.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.errors import InvalidInput
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

FIELD = "request_id"
KEEP = timedelta(hours=24)
PURGE_JOB = "core.live_actions_purge"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class LiveAction(db.Model):
    """An action a client named and the server applied (for KEEP)."""

    __tablename__ = "live_actions"
    __table_args__ = (
        UniqueConstraint("namespace", "sender", "request_id", name="uq_live_actions_sender_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text, default="{}")
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def take_id(payload: object) -> tuple[object, str | None]:
    """Split `request_id` off a payload (checked); the rest goes to the event's own fields."""
    if not isinstance(payload, dict) or FIELD not in payload:
        return payload, None
    rest = dict(payload)
    value = rest.pop(FIELD)
    if not isinstance(value, str) or not _SHAPE.fullmatch(value):
        raise InvalidInput(_("Die Nachricht hat ein ungültiges Format."), code="bad_payload")
    return rest, value


def first_answer(namespace: str, sender: str, request_id: str) -> dict | None:
    """The kept answer if this sender's action was applied already, else None."""
    row = db.session.scalar(
        select(LiveAction.answer).where(
            LiveAction.namespace == namespace,
            LiveAction.sender == sender,
            LiveAction.request_id == request_id,
        )
    )
    return None if row is None else json.loads(row)


def claim(namespace: str, sender: str, request_id: str, event: str, now: datetime) -> int | None:
    """Record the action in the current transaction (one statement); its row id, or None if
    it was applied before. A concurrent first arrival is waited for by the unique index
    (PostgreSQL) or the write lock (SQLite): whichever commits first wins."""
    stmt = (
        _insert(LiveAction.__table__)
        .values(
            namespace=namespace,
            sender=sender,
            request_id=request_id,
            event=event,
            answer="{}",
            applied_at=now,
        )
        .on_conflict_do_nothing(index_elements=["namespace", "sender", "request_id"])
        .returning(LiveAction.__table__.c.id)
    )
    row = db.session.execute(stmt).first()
    return None if row is None else row[0]


def keep_answer(row_id: int, result: dict | None) -> None:
    """Store the whole numbers of the handler's answer with the claimed row (same transaction;
    no statement when there are none, as for a vote)."""
    kept = {
        key: value
        for key, value in (result or {}).items()
        if isinstance(value, int) and not isinstance(value, bool)
    }
    if kept:
        db.session.execute(
            update(LiveAction).where(LiveAction.id == row_id).values(answer=json.dumps(kept))
        )


def _insert(table):
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def purge(now: datetime) -> int:
    """Due job: forget actions older than KEEP."""
    gone = db.session.execute(delete(LiveAction).where(LiveAction.applied_at < now - KEEP)).rowcount
    db.session.commit()
    return gone or 0
