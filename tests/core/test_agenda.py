"""Timed agendas on the one timebox: steps advance on expiry or wait for the facilitator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.core import agenda, due, timebox
from peerlab.core.agenda import ADVANCE, WAIT, AgendaKind, Step
from peerlab.core.errors import Conflict, Forbidden, InvalidInput
from peerlab.extensions import db

KIND = "test.room"
FACILITATOR, MEMBER = "facilitator", "member"


class Room:
    """A test feature: its agendas may be run by FACILITATOR; changes are recorded."""

    def __init__(self) -> None:
        self.changes: list[tuple[int | None, str]] = []

    def init_app(self, app, registry) -> None:
        registry.agenda_kind(
            AgendaKind(
                KIND,
                may_facilitate=lambda subject_id, actor: actor == FACILITATOR,
                on_change=lambda a, now: self.changes.append((a.current_index, a.status)),
            )
        )


@pytest.fixture
def room() -> Room:
    return Room()


@pytest.fixture
def app_features(room):
    return (room,)


def turns(*specs) -> list[Step]:
    return [Step(label, seconds, rule) for label, seconds, rule in specs]


def make(steps, subject_id: int = 1, *, now):
    made = agenda.create_agenda(KIND, subject_id, steps, actor=FACILITATOR, now=now)
    db.session.commit()
    return made


def reload(a):
    db.session.expire_all()
    return db.session.get(agenda.Agenda, a.id)


def test_three_timed_steps_advance_on_expiry(app, clock, room):
    steps = turns(("Anna", 60, ADVANCE), ("Ben", 120, ADVANCE), ("Cem", 30, ADVANCE))
    a = make(steps, now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    snap = agenda.snapshot(a, now=clock.now())
    assert [item["label"] for item in snap["items"]] == ["Anna", "Ben", "Cem"]
    assert (snap["current_index"], snap["current_label"]) == (0, "Anna")
    assert snap["timer"]["status"] == "running" and snap["timer"]["remaining_seconds"] == 60

    due.run_due(clock.advance(59))
    assert reload(a).current_index == 0, "not before the deadline"

    due.run_due(clock.advance(2))
    snap = agenda.snapshot(reload(a), now=clock.now())
    assert (snap["current_index"], snap["current_label"], snap["status"]) == (1, "Ben", "running")
    assert snap["timer"]["remaining_seconds"] == 120

    due.run_due(clock.advance(121))
    snap = agenda.snapshot(reload(a), now=clock.now())
    assert (snap["current_index"], snap["current_label"]) == (2, "Cem")

    due.run_due(clock.advance(31))
    snap = agenda.snapshot(reload(a), now=clock.now())
    assert snap["status"] == "finished" and snap["current_label"] is None
    assert snap["timer"]["status"] == "idle"
    assert room.changes == [(0, "running"), (1, "running"), (2, "running"), (3, "finished")]


def test_expiry_through_the_test_clock_control(app, clock, client):
    a = make(turns(("Phase 1", 60, ADVANCE), ("Phase 2", 60, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    resp = client.post("/_test/clock/advance", json={"seconds": 61})
    assert resp.json["due"]["core.timebox"] == 1
    assert reload(a).current_index == 1


def test_a_wait_step_stays_at_its_end_until_the_facilitator_advances(app, clock, room):
    a = make(turns(("Fallbericht", 60, WAIT), ("Fragen", 90, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()

    due.run_due(clock.advance(61))
    due.run_due(clock.advance(600))
    snap = agenda.snapshot(reload(a), now=clock.now())
    assert (snap["status"], snap["current_index"]) == ("waiting", 0)
    assert snap["timer"]["status"] == "expired" and snap["timer"]["remaining_seconds"] == 0

    now = clock.now()
    agenda.advance(reload(a), actor=FACILITATOR, now=now, expected_index=0)
    db.session.commit()
    a = reload(a)
    assert (a.status, a.current_index) == ("running", 1)
    box = db.session.get(timebox.Timebox, a.timebox_id)
    assert box.ends_at == now + timedelta(seconds=90)
    assert room.changes == [(0, "running"), (0, "waiting"), (1, "running")]


def test_only_the_facilitator_moves_the_agenda(app, clock):
    a = make(turns(("A", 60, WAIT), ("B", 60, WAIT)), now=clock.now())
    with pytest.raises(Forbidden):
        agenda.start(a, actor=MEMBER, now=clock.now())
    db.session.rollback()
    assert reload(a).status == "idle"
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    with pytest.raises(Forbidden):
        agenda.advance(a, actor=MEMBER, now=clock.now())
    db.session.rollback()
    assert reload(a).current_index == 0


def test_a_stale_click_does_not_skip_a_step(app, clock):
    """The step ran out and moved on by itself; the facilitator's click for step 0 is refused."""
    a = make(turns(("A", 60, ADVANCE), ("B", 60, ADVANCE), ("C", 60, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    due.run_due(clock.advance(61))
    with pytest.raises(Conflict) as refused:
        agenda.advance(reload(a), actor=FACILITATOR, now=clock.now(), expected_index=0)
    assert refused.value.code == "stale_step"
    db.session.rollback()
    assert reload(a).current_index == 1


def test_advancing_after_the_deadline_before_the_job_moves_one_step(app, clock):
    a = make(turns(("A", 60, ADVANCE), ("B", 60, ADVANCE), ("C", 60, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    late = clock.advance(61)
    agenda.advance(reload(a), actor=FACILITATOR, now=late)
    db.session.commit()
    due.run_due(clock.now())
    assert reload(a).current_index == 1


def test_pause_keeps_the_step_past_its_deadline(app, clock):
    a = make(turns(("A", 60, ADVANCE), ("B", 60, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    agenda.pause(a, actor=FACILITATOR, now=clock.advance(10))
    db.session.commit()
    due.run_due(clock.advance(300))
    assert reload(a).current_index == 0
    agenda.resume(reload(a), actor=FACILITATOR, now=clock.now())
    db.session.commit()
    due.run_due(clock.advance(51))
    assert reload(a).current_index == 1


def test_a_started_agenda_cannot_start_again(app, clock):
    a = make(turns(("A", 60, ADVANCE)), now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    with pytest.raises(Conflict):
        agenda.start(reload(a), actor=FACILITATOR, now=clock.now())


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (agenda.Agenda, agenda.AgendaStep, timebox.Timebox)
    )


@pytest.mark.parametrize(
    "steps",
    [
        [],
        None,
        "Anna",
        [Step("A", -60)],
        [Step("A", 0)],
        [Step("A", 60), Step("B", -1)],
        [Step("A", timebox.MAX_SECONDS + 1)],
        [Step("A", True)],
        [Step("A", 60.5)],
        [Step("A", 60)] * (agenda.MAX_STEPS + 1),
        [Step("", 60)],
        [Step("\u200b\u00a0", 60)],
        [Step("A\x00B", 60)],
        [Step("x" * (agenda.MAX_LABEL + 1), 60)],
        [Step("A", 60, "skip")],
        [Step("A", 60, ADVANCE, "user", None)],
        [Step("A", 60, ADVANCE, "robot", 3)],
        [Step("A", 60, ADVANCE, "user", -3)],
        [{"label": "A", "duration_seconds": 60}],
    ],
    ids=[
        "empty",
        "none",
        "string",
        "negative",
        "zero",
        "negative-later",
        "over-4h",
        "bool",
        "float",
        "too-many",
        "empty-label",
        "invisible-label",
        "nul-label",
        "long-label",
        "unknown-rule",
        "half-holder",
        "unknown-holder",
        "negative-holder",
        "not-a-step",
    ],
)
def test_bad_steps_are_refused_and_change_nothing(app, now, steps):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        agenda.create_agenda(KIND, 1, steps, actor=FACILITATOR, now=now)
    assert refused.value.message  # a German sentence, not a stack trace
    db.session.commit()
    assert counts() == before


def test_unknown_kind_and_second_agenda_are_refused(app, now):
    with pytest.raises(InvalidInput):
        agenda.create_agenda("test.unknown", 1, turns(("A", 60, ADVANCE)), actor=None, now=now)
    make(turns(("A", 60, ADVANCE)), now=now)
    with pytest.raises(Conflict):
        agenda.create_agenda(KIND, 1, turns(("B", 60, ADVANCE)), actor=FACILITATOR, now=now)
    db.session.rollback()
    assert counts()[:2] == (1, 1)


def test_holders_are_in_the_snapshot(app, now):
    a = make([Step("Anna", 60, ADVANCE, "user", 7), Step("Pause", 60, WAIT)], now=now)
    items = agenda.snapshot(a, now=now)["items"]
    assert [i["holder"] for i in items] == [{"kind": "user", "id": 7}, None]
    assert [i["on_expiry"] for i in items] == ["advance", "wait"]


def test_deleting_the_subject_removes_agenda_steps_and_timer(app, now):
    a = make(turns(("A", 60, ADVANCE)), now=now)
    agenda.start(a, actor=FACILITATOR, now=now)
    db.session.commit()
    agenda.delete_for(KIND, 1)
    db.session.commit()
    assert counts() == (0, 0, 0)


def test_refusals_speak_the_readers_language(app, now):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"), pytest.raises(InvalidInput) as refused:
        agenda.create_agenda(KIND, 1, [], actor=FACILITATOR, now=now)
    assert refused.value.message == "The agenda needs at least one step."
