"""Speaking-time accounts on a timed agenda (core.agenda): seconds per holder, from the server.

Every step of an agenda keeps the seconds it really took; the current step adds what its timer
has run so far (or, once its time is up and it waits, the overrun since). Per holder (a circle
member, a coaching client, …) that gives planned, used, remaining and overrun seconds — the
overrun is shown, never cut off. A feature reads `accounts(agenda, now)` for its payload.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from peerlab.core import timebox
from peerlab.core.agenda import RUNNING, WAITING, Agenda, AgendaStep
from peerlab.extensions import db


@dataclass(frozen=True)
class Account:
    holder_kind: str
    holder_id: int
    planned_seconds: int
    used_seconds: int

    @property
    def remaining_seconds(self) -> int:
        return max(0, self.planned_seconds - self.used_seconds)

    @property
    def overrun_seconds(self) -> int:
        return max(0, self.used_seconds - self.planned_seconds)

    def as_dict(self) -> dict:
        return {
            "holder": {"kind": self.holder_kind, "id": self.holder_id},
            "planned_seconds": self.planned_seconds,
            "used_seconds": self.used_seconds,
            "remaining_seconds": self.remaining_seconds,
            "overrun_seconds": self.overrun_seconds,
        }


def step_used(agenda: Agenda, step: AgendaStep, *, now: datetime) -> int:
    """Seconds the step has taken so far (the current one up to `now`)."""
    used = step.used_seconds or 0
    if agenda.current_index != step.position:
        return used
    if agenda.status == WAITING and agenda.waiting_since is not None:
        return used + max(0, int((now - agenda.waiting_since).total_seconds()))
    if agenda.status == RUNNING and agenda.timebox_id:
        box = db.session.get(timebox.Timebox, agenda.timebox_id)
        if box is not None:
            return used + max(0, box.duration_seconds - timebox.remaining(box, now=now))
    return used


def counting(agenda: Agenda) -> bool:
    """Whether the current step's used time grows right now (a client may tick it on)."""
    if agenda.status == WAITING:
        return True
    if agenda.status != RUNNING or not agenda.timebox_id:
        return False
    box = db.session.get(timebox.Timebox, agenda.timebox_id)
    return box is not None and box.status == timebox.RUNNING


def accounts(
    agenda: Agenda, *, now: datetime, tags: Collection[str] | None = None
) -> list[Account]:
    """One account per holder, in the order the holders first appear on the agenda; with
    `tags`, only steps of those tags count (a circle counts turns, not read-out check-ins)."""
    totals: dict[tuple[str, int], list[int]] = {}
    for step in agenda.steps:
        if step.holder_kind is None or step.holder_id is None:
            continue
        if tags is not None and step.tag not in tags:
            continue
        entry = totals.setdefault((step.holder_kind, step.holder_id), [0, 0])
        entry[0] += step.duration_seconds
        entry[1] += step_used(agenda, step, now=now)
    return [Account(kind, hid, planned, used) for (kind, hid), (planned, used) in totals.items()]
