"""Timed agendas: an ordered list of steps on the one timebox (core.timebox).

A step is a turn of one circle member, a phase of a peer-coaching session or a Lean Coffee
topic: a label, a duration, who holds it (a user or participant id, or nobody) and what its end
does: "advance" moves on to the next step by itself, "wait" leaves the agenda at the end of the
step until the facilitator moves on. One agenda per subject (kind, id); the subject's feature
registers an `AgendaKind` in its init_app: who may facilitate, and what to do after a change
(queue its broadcast). Every change starts with `lock` (a version bump, the write lock), so an
expiry and a facilitator's click cannot both move the agenda from the same step.

Each step keeps the seconds it really took (`used_seconds`, closed when the step is left; a
waiting step keeps counting from `Agenda.waiting_since`): core.speaking turns that into a
speaking-time account per holder. A feature may mark a step with its own `tag`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.core import registry, timebox
from peerlab.core.agenda.models import (  # noqa: F401 - re-exported: the tables, step value, kinds and input checks
    ADVANCE,
    FINISHED,
    HOLDER_KINDS,
    IDLE,
    MAX_LABEL,
    MAX_STEPS,
    RUNNING,
    TIMEBOX_KIND,
    WAIT,
    WAITING,
    Agenda,
    AgendaKind,
    AgendaStep,
    Step,
    _check_step,
    _check_steps,
    _is_int,
    _kind,
)
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.locking import lock_versioned
from peerlab.extensions import db


def _require_facilitator(agenda: Agenda, actor: Any) -> AgendaKind:
    kind = _kind(agenda.subject_kind)
    if not kind.may_facilitate(agenda.subject_id, actor):
        raise Forbidden()
    return kind


def _changed(agenda: Agenda, now: datetime) -> None:
    db.session.flush()
    kind = registry.current().get("agenda_kinds", agenda.subject_kind)
    if kind is not None and kind.on_change is not None:
        kind.on_change(agenda, now)


def get(subject_kind: str, subject_id: int) -> Agenda | None:
    return db.session.scalar(
        select(Agenda).where(Agenda.subject_kind == subject_kind, Agenda.subject_id == subject_id)
    )


def lock(agenda_id: int) -> Agenda:
    """Bump the version first thing in a change: takes the write lock (SQLite) or row lock
    (PostgreSQL), so the checks that follow see the latest state."""
    return lock_versioned(Agenda, agenda_id)


def create_agenda(
    subject_kind: str, subject_id: int, steps: Sequence[Step], *, actor: Any, now: datetime
) -> Agenda:
    """A new, not yet started agenda for a subject; everything is checked before any write."""
    kind = _kind(subject_kind)
    if not _is_int(subject_id) or subject_id <= 0:
        raise InvalidInput()
    checked = _check_steps(steps)
    if not kind.may_facilitate(subject_id, actor):
        raise Forbidden()
    if get(subject_kind, subject_id) is not None:
        raise Conflict(_("Dafür gibt es schon eine Tagesordnung."), code="agenda_exists")
    agenda = Agenda(
        subject_kind=subject_kind,
        subject_id=subject_id,
        status=IDLE,
        version=0,
        created_at=now,
        steps=[_row(i, s) for i, s in enumerate(checked)],
    )
    db.session.add(agenda)
    db.session.flush()
    return agenda


def _row(position: int, s: Step) -> AgendaStep:
    return AgendaStep(
        position=position,
        label=s.label,
        duration_seconds=s.duration_seconds,
        on_expiry=s.on_expiry,
        holder_kind=s.holder_kind,
        holder_id=s.holder_id,
        tag=s.tag,
        used_seconds=0,
    )


def append(agenda: Agenda, step: Step, *, now: datetime) -> Agenda:
    """Add a step at the end of an agenda that has not finished (a latecomer's turn). The
    feature decides who may cause it; an agenda already past its last step stays finished."""
    agenda = lock(agenda.id)
    checked = _check_step(step)
    if agenda.status == FINISHED:
        raise Conflict(_("Die Tagesordnung ist schon zu Ende."), code="agenda_finished")
    if len(agenda.steps) >= MAX_STEPS:
        raise InvalidInput(_("Eine Tagesordnung hat höchstens %(n)d Schritte.", n=MAX_STEPS))
    agenda.steps.append(_row(len(agenda.steps), checked))
    _changed(agenda, now)
    return agenda


def _box(agenda: Agenda) -> timebox.Timebox:
    return timebox.attached(agenda, TIMEBOX_KIND)


def _close_time(agenda: Agenda, box: timebox.Timebox, now: datetime) -> None:
    """Add the time the current step ran (its box) or waited (overrun) to its account."""
    index = agenda.current_index
    if index is None or index >= len(agenda.steps):
        return
    step = agenda.steps[index]
    if agenda.status == WAITING and agenda.waiting_since is not None:
        step.used_seconds += max(0, int((now - agenda.waiting_since).total_seconds()))
    elif agenda.status == RUNNING:
        step.used_seconds += max(0, box.duration_seconds - timebox.remaining(box, now=now))
    agenda.waiting_since = None


def _enter(agenda: Agenda, index: int, now: datetime) -> None:
    """Make step `index` current with a full timer, or finish after the last step."""
    box = _box(agenda)
    _close_time(agenda, box, now)
    agenda.current_index = index
    if index >= len(agenda.steps):
        agenda.status = FINISHED
        timebox.stop(box)
        return
    agenda.status = RUNNING
    timebox.start(box, agenda.steps[index].duration_seconds, now=now)


def start(agenda: Agenda, *, actor: Any, now: datetime) -> Agenda:
    """Facilitator: begin with the first step."""
    agenda = lock(agenda.id)
    _require_facilitator(agenda, actor)
    if agenda.status != IDLE:
        raise Conflict(_("Die Tagesordnung läuft schon."), code="agenda_started")
    _enter(agenda, 0, now)
    _changed(agenda, now)
    return agenda


def advance(
    agenda: Agenda, *, actor: Any, now: datetime, expected_index: int | None = None
) -> Agenda:
    """Facilitator: end the current step (running or waiting) and begin the next one.

    `expected_index` is the step the facilitator saw: a second click, or one that crossed an
    automatic advance, is refused instead of skipping a step."""
    agenda = lock(agenda.id)
    _require_facilitator(agenda, actor)
    if agenda.status not in (RUNNING, WAITING) or agenda.current_index is None:
        raise Conflict(_("Die Tagesordnung läuft nicht."), code="agenda_not_running")
    if expected_index is not None and expected_index != agenda.current_index:
        raise Conflict(_("Der Schritt wurde schon weitergeschaltet."), code="stale_step")
    _enter(agenda, agenda.current_index + 1, now)
    _changed(agenda, now)
    return agenda


def finish(agenda: Agenda, *, actor: Any, now: datetime) -> Agenda:
    """Facilitator: end the agenda now, whatever steps are left (they stay unheld)."""
    agenda = lock(agenda.id)
    _require_facilitator(agenda, actor)
    if agenda.status not in (RUNNING, WAITING) or agenda.current_index is None:
        raise Conflict(_("Die Tagesordnung läuft nicht."), code="agenda_not_running")
    _enter(agenda, len(agenda.steps), now)
    _changed(agenda, now)
    return agenda


def _running_box(agenda: Agenda, actor: Any) -> timebox.Timebox:
    _require_facilitator(agenda, actor)
    if agenda.status != RUNNING:
        raise Conflict(_("Die Tagesordnung läuft nicht."), code="agenda_not_running")
    return _box(agenda)


def pause(agenda: Agenda, *, actor: Any, now: datetime) -> Agenda:
    agenda = lock(agenda.id)
    timebox.pause(_running_box(agenda, actor), now=now)
    _changed(agenda, now)
    return agenda


def resume(agenda: Agenda, *, actor: Any, now: datetime) -> Agenda:
    agenda = lock(agenda.id)
    timebox.resume(_running_box(agenda, actor), now=now)
    _changed(agenda, now)
    return agenda


def extend(agenda: Agenda, seconds: int, *, actor: Any, now: datetime) -> Agenda:
    """More time for the current step (a waiting step runs again for `seconds`)."""
    agenda = lock(agenda.id)
    _require_facilitator(agenda, actor)
    if agenda.status not in (RUNNING, WAITING):
        raise Conflict(_("Die Tagesordnung läuft nicht."), code="agenda_not_running")
    box = _box(agenda)
    if agenda.status == WAITING or box.status == timebox.EXPIRED:
        _close_time(agenda, box, now)  # the run or overrun so far stays on the step's account
    timebox.extend(box, seconds, now=now)
    agenda.status = RUNNING
    _changed(agenda, now)
    return agenda


def on_timebox_expired(box: timebox.Timebox, now: datetime) -> None:
    """The current step's time ran out: advance, or wait for the facilitator."""
    try:
        agenda = lock(box.subject_id)
    except NotFound:
        return
    if agenda.status != RUNNING or agenda.timebox_id != box.id or agenda.current_index is None:
        return
    if agenda.steps[agenda.current_index].on_expiry == ADVANCE:
        _enter(agenda, agenda.current_index + 1, now)
    else:
        _close_time(agenda, box, now)  # the full run; waiting counts from here
        agenda.status = WAITING
        agenda.waiting_since = now
    _changed(agenda, now)


def snapshot(agenda: Agenda, *, now: datetime) -> dict:
    """Items, current index and label, and the timer (deadline plus server time)."""
    index = agenda.current_index
    current = agenda.steps[index] if index is not None and index < len(agenda.steps) else None
    box = db.session.get(timebox.Timebox, agenda.timebox_id) if agenda.timebox_id else None
    return {
        "version": agenda.version,
        "status": agenda.status,
        "items": [
            {
                "index": step.position,
                "label": step.label,
                "duration_seconds": step.duration_seconds,
                "on_expiry": step.on_expiry,
                "holder": (
                    {"kind": step.holder_kind, "id": step.holder_id} if step.holder_kind else None
                ),
            }
            for step in agenda.steps
        ],
        "current_index": index,
        "current_label": current.label if current else None,
        "timer": timebox.snapshot(box, now=now),
    }


def delete_for(subject_kind: str, subject_id: int) -> None:
    """Remove a subject's agenda with its steps and timer (subject lifecycle)."""
    agenda = get(subject_kind, subject_id)
    if agenda is None:
        return
    box_id = agenda.timebox_id
    db.session.delete(agenda)
    db.session.flush()
    if box_id:
        db.session.execute(delete(timebox.Timebox).where(timebox.Timebox.id == box_id))


def init_app(app, registry_: registry.Registry) -> None:
    """Core's own registrations: agenda timers expire through the due job."""
    from peerlab.core import subjects

    timebox.register_expiry(TIMEBOX_KIND, on_timebox_expired)
    subjects.register_action("core.agendas", ("agendas", "agenda_steps"), _forget_subject)


def _forget_subject(kinds: frozenset[str], subject_id: int, now: datetime) -> int:
    """Subject lifecycle: the subject's agenda goes with its steps and timer. (A step's
    holder names a person, not a subject: it goes with the agenda.)"""
    found = 0
    for kind in sorted(kinds):
        if get(kind, subject_id) is not None:
            delete_for(kind, subject_id)
            found += 1
    return found
