"""What a circle meeting's screens receive (sent to each connected active member).

The same for every member and free of words in any language: names are plain, steps carry
their tag ("exercise", "turn", "checkin") and the page adds its own translated texts. The
agenda part is core's snapshot (deadline plus server time); `accounts` are the speaking-time
accounts of the turns (core.speaking).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from peerlab.circles.meeting_models import CircleMeeting
from peerlab.circles.models import CheckIn, Circle
from peerlab.circles.service import meeting as service
from peerlab.core import agenda, speaking
from peerlab.core.spaces import Membership
from peerlab.extensions import db

PROTOCOL = 1


def _status(meeting: CircleMeeting, found: agenda.Agenda | None) -> str:
    if meeting.ended_at is not None or (found is not None and found.status == agenda.FINISHED):
        return "finished"
    return "running" if found is not None else "open"


def _checkins(circle: Circle, meeting: CircleMeeting, user_ids: set[int]) -> dict[str, dict]:
    """The check-ins read out for absent members (only those on the agenda)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Membership.user_id, CheckIn)
        .join(CheckIn, CheckIn.membership_id == Membership.id)
        .where(
            CheckIn.circle_id == circle.id,
            CheckIn.meeting_no == meeting.number,
            Membership.user_id.in_(user_ids),
        )
    ).all()
    return {
        str(uid): {"happened": c.happened, "next_step": c.next_step, "need_help": c.need_help}
        for uid, c in rows
    }


def snapshot(circle: Circle, meeting: CircleMeeting, now: datetime) -> dict:
    members = service.people(circle)
    present = service.present_ids(meeting, members)
    checked_in = service.checked_in_ids(circle, meeting.number)
    found = agenda.get(service.KIND, meeting.id)
    plan = None
    accounts: list[dict] = []
    read_out: set[int] = set()
    if found is not None:
        plan = agenda.snapshot(found, now=now)
        for item, step in zip(plan["items"], found.steps, strict=True):
            item["tag"] = step.tag
            item["used_seconds"] = speaking.step_used(found, step, now=now)
            if step.tag == service.CHECKIN and step.holder_id:
                read_out.add(step.holder_id)
        plan["counting"] = speaking.counting(found)
        accounts = [
            {"user_id": acc.holder_id, **acc.as_dict()}
            for acc in speaking.accounts(found, now=now, tags={service.TURN})
        ]
    return {
        "protocol": PROTOCOL,
        "circle_id": circle.id,
        "version": meeting.version,
        "number": meeting.number,
        "status": _status(meeting, found),
        "facilitator_id": meeting.facilitator_id,
        "timekeeper_id": meeting.timekeeper_id,
        "total_minutes": meeting.total_minutes,
        "exercise_minutes": meeting.exercise_minutes,
        "members": [
            {
                "user_id": p.user_id,
                "name": p.name,
                "present": p.user_id in present,
                "checked_in": p.user_id in checked_in,
            }
            for p in members
        ],
        "agenda": plan,
        "accounts": accounts,
        "checkins": _checkins(circle, meeting, read_out),
        "notes": {"text": meeting.notes, "version": meeting.notes_version},
        "server_now": now.isoformat(),
    }
