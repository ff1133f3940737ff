"""Open invitations (answer still NEEDS-ACTION) on the dashboard."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from peerlab.accounts.models import User
from peerlab.core.errors import NotFound
from peerlab.ical import invitations, service
from peerlab.pages.dashboard import DashboardPart, TodoItem


def invitations_part(user: User, now: datetime) -> DashboardPart:
    part = DashboardPart()
    for inv in invitations.open_invitations(user):
        try:
            event = service.current_event(inv.kind, inv.subject_id)
        except NotFound:
            continue
        if not service.is_open(event, now):
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
