"""The agenda's tables, its step value and kinds, and the checks of a step's input."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core import registry, timebox
from peerlab.core.errors import InvalidInput
from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

TIMEBOX_KIND = "core.agenda"
IDLE, RUNNING, WAITING, FINISHED = "idle", "running", "waiting", "finished"
ADVANCE, WAIT = "advance", "wait"
HOLDER_KINDS = ("user", "participant")
MAX_STEPS = 50
MAX_LABEL = 120


class Agenda(db.Model):
    __tablename__ = "agendas"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=IDLE)
    current_index: Mapped[int | None] = mapped_column(Integer)  # None until started
    version: Mapped[int] = mapped_column(Integer, default=0)
    timebox_id: Mapped[int | None] = mapped_column(ForeignKey("timeboxes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())  # current step's overrun
    steps: Mapped[list[AgendaStep]] = relationship(
        order_by="AgendaStep.position", cascade="all, delete-orphan", passive_deletes=True
    )


class AgendaStep(db.Model):
    __tablename__ = "agenda_steps"
    __table_args__ = (
        UniqueConstraint("agenda_id", "position"),
        CheckConstraint("duration_seconds > 0", name="positive_duration"),
        CheckConstraint("on_expiry IN ('advance', 'wait')", name="on_expiry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(MAX_LABEL))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    on_expiry: Mapped[str] = mapped_column(String(10))
    holder_kind: Mapped[str | None] = mapped_column(String(20))
    holder_id: Mapped[int | None] = mapped_column(Integer)
    tag: Mapped[str | None] = mapped_column(String(20))  # the feature's own kind of step
    used_seconds: Mapped[int] = mapped_column(Integer, default=0)  # closed time of the step


@dataclass(frozen=True)
class Step:
    """One step as a feature asks for it (checked by `create_agenda`)."""

    label: str
    duration_seconds: int
    on_expiry: str = ADVANCE
    holder_kind: str | None = None
    holder_id: int | None = None
    tag: str | None = None


@dataclass(frozen=True)
class AgendaKind:
    """What a feature registers for its agendas (`registry.agenda_kind(...)`).

    `may_facilitate(subject_id, actor)` is the feature's access rule for starting and moving
    the agenda; `on_change(agenda, now)` runs inside the transaction after every change
    (including expiry), for the feature to queue its after-commit broadcast.
    """

    subject_kind: str
    may_facilitate: Callable[[int, Any], bool]
    on_change: Callable[[Agenda, datetime], None] | None = None


def _kind(subject_kind: str) -> AgendaKind:
    kind = registry.current().get("agenda_kinds", subject_kind)
    if kind is None:
        raise InvalidInput(_("Unbekannte Art von Tagesordnung."))
    return kind


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_label(label: Any) -> str:
    text = label.strip() if isinstance(label, str) else ""
    visible = any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in text)
    if not visible or len(text) > MAX_LABEL or any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput(
            _("Jeder Schritt braucht eine Bezeichnung mit höchstens %(n)d Zeichen.", n=MAX_LABEL)
        )
    return text


def _check_step(step: Any) -> Step:
    if not isinstance(step, Step):
        raise InvalidInput()
    label = _clean_label(step.label)
    if not _is_int(step.duration_seconds) or not 1 <= step.duration_seconds <= timebox.MAX_SECONDS:
        raise InvalidInput(
            _("Die Dauer eines Schritts muss zwischen 1 Sekunde und 4 Stunden liegen.")
        )
    if step.on_expiry not in (ADVANCE, WAIT):
        raise InvalidInput(_("Unbekannte Regel für das Ende eines Schritts."))
    holder_set = (step.holder_kind is not None, step.holder_id is not None)
    if holder_set == (True, True):
        valid = step.holder_kind in HOLDER_KINDS and _is_int(step.holder_id) and step.holder_id > 0
    else:
        valid = holder_set == (False, False)
    if not valid:
        raise InvalidInput(_("Die Angabe, wer den Schritt hält, ist ungültig."))
    if step.tag is not None and (not isinstance(step.tag, str) or not 1 <= len(step.tag) <= 20):
        raise InvalidInput()
    return Step(
        label, step.duration_seconds, step.on_expiry, step.holder_kind, step.holder_id, step.tag
    )


def _check_steps(steps: Any) -> list[Step]:
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence) or not steps:
        raise InvalidInput(_("Die Tagesordnung braucht mindestens einen Schritt."))
    if len(steps) > MAX_STEPS:
        raise InvalidInput(_("Eine Tagesordnung hat höchstens %(n)d Schritte.", n=MAX_STEPS))
    return [_check_step(step) for step in steps]
