"""Mails that follow a registration change: queued in the same transaction as the change.

Confirmed people hold a calendar invitation (peerlab.ical) per date: the confirmation and the
moving-up mail carry it; changes go out as updates (same UID, higher SEQUENCE), a cancelled
date as METHOD:CANCEL, a place given back as a CANCEL to that person only.
"""

from __future__ import annotations

from datetime import datetime

from peerlab.accounts.models import User
from peerlab.core.urls import absolute
from peerlab.ical import invitations
from peerlab.ical.mails import when_text
from peerlab.impulses.calendar_source import KIND
from peerlab.impulses.models import Impulse, Registration
from peerlab.notify.outbox import enqueue_template


def _language(user: User) -> str:
    return user.language if user.language in ("de", "en") else "de"


def _line(row: Registration, user: User) -> dict:
    impulse = row.impulse
    return {
        "title": impulse.title,
        "speaker": impulse.speaker_name,
        "when": when_text(
            impulse.starts_at, impulse.ends_at, tz=user.timezone, language=_language(user)
        ),
        "status": row.status,
    }


def _invite(row: Registration, *, now: datetime, filename: str):
    series = row.impulse.series
    invitation = invitations.invite(
        KIND, row.impulse_id, row.user, now=now, organizer=series.created_by, mail=False
    )
    # They registered themselves: that is their answer (no "open invitation" on the dashboard).
    invitation.partstat = "ACCEPTED"
    invitation.responded_at = now
    return invitations.request_for(invitation, now=now, filename=filename)


def confirm(user: User, rows: list[Registration], *, now: datetime) -> None:
    """One mail listing every date (confirmed or waiting); an invitation per confirmed date."""
    rows = sorted(rows, key=lambda r: r.impulse.starts_at)
    parts = tuple(
        _invite(row, now=now, filename=f"impuls-{n}.ics")
        for n, row in enumerate((r for r in rows if r.status == "confirmed"), start=1)
    )
    series = rows[0].impulse.series
    enqueue_template(
        "impulses_confirmation",
        to=user.email,
        language=_language(user),
        now=now,
        user_id=user.id,
        calendar=parts[0] if len(parts) == 1 else None,
        attachments=parts if len(parts) > 1 else (),
        about=("impulses.series", series.id),
        recipient=user,
        series=series,
        lines=[_line(row, user) for row in rows],
        page_url=absolute("impulses.show_series", series_id=series.id),
    )


def moved_up(row: Registration, *, now: datetime) -> None:
    """A place came free: one mail with the invitation for that date."""
    user = row.user
    part = _invite(row, now=now, filename="einladung.ics")
    series = row.impulse.series
    enqueue_template(
        "impulses_moved_up",
        to=user.email,
        language=_language(user),
        now=now,
        user_id=user.id,
        calendar=part,
        about=(KIND, row.impulse_id),
        recipient=user,
        series=series,
        line=_line(row, user),
        video_url=series.video_url,
        page_url=absolute("impulses.show_series", series_id=series.id),
    )


def withdraw(impulse: Impulse, user: User, *, now: datetime) -> None:
    invitations.withdraw(KIND, impulse.id, user, now=now)


def send_update(impulse: Impulse, *, now: datetime) -> None:
    invitations.send_update(KIND, impulse.id, now=now)


def send_cancel(impulse: Impulse, *, now: datetime) -> None:
    invitations.send_cancel(KIND, impulse.id, now=now)
