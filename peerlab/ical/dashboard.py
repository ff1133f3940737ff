"""Open invitations (answer still NEEDS-ACTION) on the dashboard."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from peerlab.accounts.models import User
from peerlab.ical import invitations, service
from peerlab.pages.dashboard import DashboardPart, TodoItem


def invitations_part(user: User, now: datetime) -> DashboardPart:
    part = DashboardPart()
    waiting = invitations.open_invitations(user)
    events = service.current_events([(inv.kind, inv.subject_id) for inv in waiting])
    for inv in waiting:
        event = events.get((inv.kind, inv.subject_id))
        if event is None or not service.is_open(event, now):
            continue
        part.invitations.append(
            TodoItem(
                text=event.summary,
                url=url_for("ical.invitation", invitation_id=inv.id),
                due=event.starts_at,
                label=_("Einladung"),
            )
        )
    return part
