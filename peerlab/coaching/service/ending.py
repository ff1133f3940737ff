"""The end of a session: the case giver's keep, then everything else deleted for real.

`finish` copies what the case giver keeps (key question, marked cards without authors, the
secretary's notes, their own "Was probiere ich aus?" line) into a `CoachingKeep` of their
account, tells the open boards, deletes the session with everything that refers to it (core
subject lifecycle: memberships, agenda with steps and timer, presence, due items, calendar
rows) and its cards' author marks, with SQLite's secure_delete on for this connection, and
checkpoints the write-ahead log after the commit so the raw file keeps no copy.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from sqlalchemy import delete, select, text

from peerlab.coaching.models import (
    CASE_GIVER,
    SPACE_KIND,
    CoachingCard,
    CoachingKeep,
    CoachingPhase,
    CoachingSession,
)
from peerlab.coaching.service import board, setup
from peerlab.core import authormarks, live, retention, subjects
from peerlab.extensions import db

log = logging.getLogger(__name__)


def secure_delete_on() -> None:
    """Overwrite deleted content in the SQLite file (a no-op elsewhere; core may make it
    global later)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("PRAGMA secure_delete=ON"))


def checkpoint() -> None:
    """After the commit: make the deletion final in the files (core.retention: fold SQLite's
    write-ahead log into the file and truncate it; vacuum the tables on PostgreSQL)."""
    retention.compact(
        (CoachingCard.__tablename__, CoachingPhase.__tablename__, CoachingSession.__tablename__)
    )


def keep_for_case_giver(session: CoachingSession, now: datetime) -> CoachingKeep | None:
    """A session that never started leaves nothing to keep (and no empty page behind)."""
    giver = next((r for r in setup.members(session) if r.role == CASE_GIVER), None)
    if session.started_at is None or giver is None or giver.user_id is None:
        return None
    marked = [{"phase": c.phase, "text": c.text} for c in board.cards(session) if c.marked]
    keep = CoachingKeep(
        user_id=giver.user_id,
        title=session.title,
        held_at=session.started_at or session.starts_at,
        key_question=session.key_question,
        cards=json.dumps(marked, ensure_ascii=False),
        notes=session.notes,
        try_line=session.try_line,
        created_at=now,
    )
    db.session.add(keep)
    db.session.flush()
    return keep


def finish(session: CoachingSession, now: datetime) -> CoachingKeep | None:
    """End the session (flush only; the caller commits, then calls `checkpoint`)."""
    secure_delete_on()
    keep = keep_for_case_giver(session, now)
    card_ids = list(
        db.session.scalars(select(CoachingCard.id).where(CoachingCard.session_id == session.id))
    )
    for card_id in card_ids:
        authormarks.forget(board.CARD_MARK, card_id)
    db.session.execute(delete(CoachingCard).where(CoachingCard.session_id == session.id))
    db.session.execute(delete(CoachingPhase).where(CoachingPhase.session_id == session.id))
    live.queue_emit(
        "session:ended",
        {"session_id": session.id, "kept": keep is not None},
        to=room_name(session.id),
        namespace=board.NAMESPACE,
    )
    subjects.delete_subject(SPACE_KIND, session.id, now=now)
    # Blank the texts first: the row's old content must not survive in a free page.
    session.key_question = session.notes = session.try_line = ""
    db.session.flush()
    db.session.delete(session)
    db.session.flush()
    live.queue_call("coaching.checkpoint", _checkpoint_after_commit)
    return keep


def _checkpoint_after_commit() -> None:
    from peerlab.core.live.outbox import own_session

    with own_session():
        try:
            checkpoint()
        except Exception:  # a busy log is checkpointed by the next writer; nothing is lost
            log.warning("checkpoint after a coaching session failed")


def room_name(session_id: int) -> str:
    return f"coaching:{session_id}"


def auto_end(item, now: datetime) -> None:
    """Due item: 2 hours after the planned end a session still open is ended."""
    session = db.session.get(CoachingSession, item.subject_id) if item.subject_id else None
    if session is None:
        return
    board.lock(session.id)
    finish(session, now)


def keeps_of(user_id: int) -> list[CoachingKeep]:
    return list(
        db.session.scalars(
            select(CoachingKeep)
            .where(CoachingKeep.user_id == user_id)
            .order_by(CoachingKeep.held_at.desc())
        )
    )
