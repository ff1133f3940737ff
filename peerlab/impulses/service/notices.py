"""Plain mails to the people waiting for a date when its time changes or it is cancelled.

People with a confirmed place hold a calendar invitation and get the calendar update or
cancellation (mailing.send_update / send_cancel); people on the waiting list hold none (the
date is not in their calendar), so they get the same news as a plain mail without a calendar
part. Queued in the transaction of the change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.impulses.calendar_source import KIND
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.service.mailing import _language, _line
from peerlab.notify.outbox import enqueue_template


def tell_waiting(impulse: Impulse, *, change: str, now: datetime) -> int:
    """`change`: "moved" (new time) or "cancelled". Returns how many mails were queued."""
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.impulse_id == impulse.id, Registration.status == "waiting")
        .order_by(Registration.position)
    ).all()
    series = impulse.series
    for row in rows:
        user = row.user
        enqueue_template(
            "impulses_waiting_notice",
            to=user.email,
            language=_language(user),
            now=now,
            user_id=user.id,
            about=(KIND, impulse.id),
            recipient=user,
            mail_language=_language(user),
            series=series,
            line=_line(row, user),
            change=change,
            page_url=absolute("impulses.show_series", series_id=series.id),
        )
    return len(rows)
