"""The live weekly meeting page. The page is a shell: everything on it comes over the
meeting's socket (circles.events), which asks the membership policy on every event."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import render_template
from flask_login import login_required

from peerlab.accounts.actors import signed_in_actor
from peerlab.circles import access, prompts, schedule
from peerlab.circles.routes import bp
from peerlab.circles.service import meeting as service
from peerlab.core.clock import utcnow


@bp.get("/<int:circle_id>/treffen", endpoint="meeting")
@login_required
def meeting_page(circle_id: int):
    actor = signed_in_actor()
    now = utcnow()
    circle, _row = access.require_member(circle_id, actor)  # everyone else: 404
    number = service.number_now(circle, now)
    return render_template(
        "circles/meeting.html",
        circle=circle,
        number=number,
        planned=schedule.meeting(circle, number),
        focus=prompts.focus(number),
        me_id=actor.id,
        total_range=service.TOTAL_RANGE,
        exercise_range=service.EXERCISE_RANGE,
        notes_max=service.NOTES_MAX,
        zone=ZoneInfo(circle.zone),
    )
