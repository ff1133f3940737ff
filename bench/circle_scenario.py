"""A circle meeting under the load shape (peerlab/circles, namespace /circles, docs/circles.md).

Per room one Working-Out-Loud circle of up to 8 members (the circles' limit): created by its
first member (`circles.service.circles.create_circle`, the others invited and accepting with
`answer_invitation`), its first meeting opened with `meeting.enter`, the second member named
timekeeper (`set_roles`) and the meeting started by the facilitator (`meeting.start`, 120
minutes, the week's exercise first). Every member joins the meeting (`meeting:join`).

The live action is the timer: in a circle meeting only the week's facilitator and timekeeper
steer it, so those two act; each sends `timer:extend` VOTES times, one after the other
(a person clicks, sees the result, clicks again). Every extension changes the meeting and
reaches every connected member as `meeting:state` (the full snapshot, version-numbered) in
their private room.

Tying an extension to its version: the acknowledgement carries only the seconds. The
facilitator extends by 60 s, the timekeeper by 61 s; between two consecutive snapshots the
timer's `duration_seconds` grows by exactly the seconds of the extension that made the later
one, so the n-th 61-second step a client saw is the timekeeper's n-th extension.
After the run, each meeting's timer must show exactly the extensions sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.load import Participant, Plan
from bench.peerlab_base import PeerlabBase

MAX_MEMBERS = 8
ACTORS = (0, 1)  # the facilitator and the timekeeper
BASE_SECONDS = 60


def shape(participants: int) -> tuple[int, tuple[int, ...], bool]:
    """(members per room, who acts, sequential)."""
    return min(participants, MAX_MEMBERS), ACTORS, True


class CircleWire:
    namespace = "/circles"
    join_event = "meeting:join"
    vote_event = "timer:extend"
    update_event = "meeting:state"  # the snapshot, to each connected member's own room
    private_events: tuple[str, ...] = ()
    keep_updates = True
    sequential = True

    def update_key(self, data: Any, state: dict | None = None) -> tuple[int, int] | None:
        if isinstance(data, dict) and "circle_id" in data and "version" in data:
            return int(data["circle_id"]), int(data["version"])
        return None

    def ack_tag(self, ack: Any) -> Any:
        if isinstance(ack, dict) and ack.get("ok") and isinstance(ack.get("seconds"), int):
            return ack["seconds"]
        return None

    def resolve(self, private: dict[str, list[Any]], tag: Any, nth: int = 0) -> int | None:
        """The version of the `nth` snapshot whose timer grew by `tag` seconds."""
        by_version: dict[int, int] = {}
        for data in private.get(self.update_event, []):
            timer = ((data or {}).get("agenda") or {}).get("timer") or {}
            if isinstance(timer.get("duration_seconds"), int):
                by_version[int(data["version"])] = timer["duration_seconds"]
        ordered = sorted(by_version.items())
        grew = [v for (_p, before), (v, after) in pairwise(ordered) if after - before == tag]
        return grew[nth] if nth < len(grew) else None


class CircleScenario(PeerlabBase):
    format = "circle"

    def __init__(self, workdir: Path, **options):
        super().__init__(workdir, **options)
        self.wire = CircleWire()
        self.size = shape(self.participants)[0]

    def prepare(self) -> Plan:
        now = datetime.now(UTC)
        with self.app().app_context():
            self.create_schema()
            warmup = self._room("cw", 2, now)
            rooms = [self._room(f"c{r + 1}", self.size, now) for r in range(self.rounds)]
            self.finish_prepare()
        return Plan(rooms, warmup=warmup)

    def _room(self, label: str, size: int, now: datetime) -> list[Participant]:
        from peerlab.circles.service import circles
        from peerlab.circles.service import meeting as meetings
        from peerlab.extensions import db

        people = self.people(label, size, now)
        berlin = ZoneInfo("Europe/Berlin")
        first = (now + timedelta(hours=2)).astimezone(berlin)
        settings = circles.CircleSettings(
            name=f"Benchmark-Circle {label}",
            weekday=first.weekday(),
            local_time=time(first.hour, first.minute),
            zone="Europe/Berlin",
            start_date=first.date(),
            invitees=tuple(u.id for u in people[1:]),
        )
        circle = circles.create_circle(settings, creator=people[0], now=now)
        for user in people[1:]:
            circles.answer_invitation(circle.id, self.actor(user), accept=True, now=now)
        db.session.commit()
        lead = self.actor(people[0])
        found, meeting = meetings.enter(circle.id, lead, now)
        meetings.set_roles(found, meeting, lead, people[0].id, people[1].id)
        meetings.start(found, meeting, lead, total_minutes=120, exercise_minutes=30, now=now)
        db.session.commit()
        return self.members(
            circle.id,
            people,
            now,
            {"circle_id": circle.id},
            lambda i: [
                {"circle_id": circle.id, "seconds": BASE_SECONDS + i}
                for _ in range(self.votes if i in ACTORS else 0)
            ],
        )

    def verify(self, plan: Plan) -> list[str]:
        """Each meeting's timer was extended exactly as often as its actors asked."""

        def check() -> list[str]:
            from sqlalchemy import select

            from peerlab.circles.meeting_models import CircleMeeting
            from peerlab.circles.service import meeting as meetings
            from peerlab.core import agenda, timebox
            from peerlab.extensions import db

            problems = []
            for members in [*plan.rounds, plan.warmup]:
                circle_id = members[0].round_key
                meeting = db.session.scalar(
                    select(CircleMeeting).where(CircleMeeting.circle_id == circle_id)
                )
                found = agenda.get(meetings.KIND, meeting.id) if meeting else None
                box = db.session.get(timebox.Timebox, found.timebox_id) if found else None
                expected = sum(len(p.votes) for p in members)
                if box is None or box.extensions != expected:
                    seen = box.extensions if box else None
                    problems.append(f"circle {circle_id}: {seen} extensions, not {expected}")
            return problems

        return self.checked(check)
