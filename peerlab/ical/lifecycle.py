"""Data export and account deletion for what the calendar holds about a person, and what goes
when a subject with dates (a round …) is deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical.models import CalendarSequence, CancelledOccurrence, FeedKey, Invitation


def export_user(user: User) -> dict:
    rows = db.session.scalars(select(Invitation).where(Invitation.user_id == user.id)).all()
    return {
        "feed_subscription": bool(user.feed_token_hash),
        "invitations": [
            {
                "date": inv.uid,
                "answer": inv.partstat,
                "invited_at": inv.invited_at.isoformat(),
                "responded_at": inv.responded_at.isoformat() if inv.responded_at else None,
                "cancelled_at": inv.cancelled_at.isoformat() if inv.cancelled_at else None,
            }
            for inv in rows
        ],
    }


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """Invitations and the feed key are personal data: they go with the account."""
    db.session.execute(delete(Invitation).where(Invitation.user_id == user.id))
    db.session.execute(
        update(Invitation).where(Invitation.organizer_id == user.id).values(organizer_id=None)
    )
    db.session.execute(delete(FeedKey).where(FeedKey.user_id == user.id))
    user.feed_token_hash = None
    db.session.flush()


def forget_subject(kinds: frozenset[str], subject_id: int, now: datetime) -> int:
    """Subject lifecycle: a deleted subject's invitations, SEQUENCE rows and dropped
    occurrences (found through the UIDs of its SEQUENCE rows) are deleted."""
    kind_list = sorted(kinds)
    uids = db.session.scalars(
        select(CalendarSequence.uid).where(
            CalendarSequence.kind.in_(kind_list), CalendarSequence.subject_id == subject_id
        )
    ).all()
    reached = 0
    for stmt in (
        delete(CancelledOccurrence).where(CancelledOccurrence.uid.in_(uids)),
        delete(Invitation).where(
            Invitation.kind.in_(kind_list), Invitation.subject_id == subject_id
        ),
        delete(CalendarSequence).where(
            CalendarSequence.kind.in_(kind_list), CalendarSequence.subject_id == subject_id
        ),
    ):
        result = db.session.execute(stmt.execution_options(synchronize_session="fetch"))
        reached += result.rowcount or 0
    return reached
