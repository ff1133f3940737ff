"""Speaking-time accounts on a timed agenda: the seconds each holder really took, with pauses,
extensions, waiting overrun and latecomers' steps appended at the end."""

from __future__ import annotations

import pytest

from peerlab.core import agenda, due, speaking
from peerlab.core.agenda import ADVANCE, WAIT, Step
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.extensions import db
from tests.core.test_agenda import FACILITATOR, app_features, make, reload, room  # noqa: F401


def turn(name: str, seconds: int, holder: int, rule: str = ADVANCE) -> Step:
    return Step(name, seconds, rule, "user", holder, tag="turn")


def by_holder(a, now) -> dict[int, speaking.Account]:
    return {acc.holder_id: acc for acc in speaking.accounts(reload(a), now=now)}


def test_used_seconds_follow_the_timer_with_pause_and_extension(app, clock):
    a = make([turn("Anna", 120, 1), turn("Ben", 120, 2)], now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    clock.advance(30)
    assert by_holder(a, clock.now())[1].used_seconds == 30
    assert speaking.counting(reload(a))

    agenda.pause(reload(a), actor=FACILITATOR, now=clock.now())
    db.session.commit()
    clock.advance(300)  # a pause counts for nobody
    assert by_holder(a, clock.now())[1].used_seconds == 30
    assert not speaking.counting(reload(a))

    agenda.resume(reload(a), actor=FACILITATOR, now=clock.now())
    agenda.extend(reload(a), 60, actor=FACILITATOR, now=clock.advance(10))
    db.session.commit()
    acc = by_holder(a, clock.now())[1]
    assert (acc.used_seconds, acc.remaining_seconds, acc.overrun_seconds) == (40, 80, 0)

    due.run_due(clock.advance(141))  # 120 + 60 seconds ran out: Ben's turn
    accounts = by_holder(a, clock.now())
    assert reload(a).current_index == 1
    assert (accounts[1].used_seconds, accounts[1].overrun_seconds) == (180, 60)
    assert accounts[2].used_seconds == 0  # Ben starts at the expiry


def test_a_waiting_step_counts_its_overrun_until_the_facilitator_moves_on(app, clock):
    a = make([turn("Anna", 60, 1, WAIT), turn("Ben", 60, 2)], now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    due.run_due(clock.advance(61))
    assert reload(a).status == agenda.WAITING
    clock.advance(45)
    acc = by_holder(a, clock.now())[1]
    assert (acc.used_seconds, acc.remaining_seconds, acc.overrun_seconds) == (105, 0, 45)
    agenda.advance(reload(a), actor=FACILITATOR, now=clock.now(), expected_index=0)
    db.session.commit()
    clock.advance(500)
    assert by_holder(a, clock.now())[1].used_seconds == 105  # closed when left


def test_a_holder_with_two_steps_has_one_account(app, clock):
    a = make([turn("Anna", 60, 1), turn("Ben", 60, 2)], now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    agenda.append(reload(a), turn("Anna (später)", 30, 1), now=clock.now())
    db.session.commit()
    snap = agenda.snapshot(reload(a), now=clock.now())
    assert [i["label"] for i in snap["items"]] == ["Anna", "Ben", "Anna (später)"]
    assert reload(a).steps[2].tag == "turn"
    assert by_holder(a, clock.now())[1].planned_seconds == 90


def test_append_checks_the_step_and_refuses_a_finished_agenda(app, clock):
    a = make([turn("Anna", 60, 1)], now=clock.now())
    with pytest.raises(InvalidInput):
        agenda.append(reload(a), Step("", 60), now=clock.now())
    db.session.rollback()
    with pytest.raises(InvalidInput):
        agenda.append(reload(a), Step("x", 60, tag="t" * 21), now=clock.now())
    db.session.rollback()
    agenda.start(reload(a), actor=FACILITATOR, now=clock.now())
    agenda.advance(reload(a), actor=FACILITATOR, now=clock.now())
    db.session.commit()
    assert reload(a).status == agenda.FINISHED
    with pytest.raises(Conflict):
        agenda.append(reload(a), turn("Ben", 60, 2), now=clock.now())
    db.session.rollback()
    assert len(reload(a).steps) == 1


def test_finish_ends_the_agenda_early_and_closes_the_current_account(app, clock):
    a = make([turn("Anna", 60, 1), turn("Ben", 60, 2)], now=clock.now())
    agenda.start(a, actor=FACILITATOR, now=clock.now())
    db.session.commit()
    agenda.finish(reload(a), actor=FACILITATOR, now=clock.advance(20))
    db.session.commit()
    assert reload(a).status == agenda.FINISHED
    assert by_holder(a, clock.advance(100))[1].used_seconds == 20
    with pytest.raises(Conflict):
        agenda.finish(reload(a), actor=FACILITATOR, now=clock.now())


def test_accounts_can_count_only_some_kinds_of_step(app, clock):
    steps = [turn("Anna", 60, 1), Step("Ben liest", 60, ADVANCE, "user", 2, tag="read")]
    a = make(steps, now=clock.now())
    assert [acc.holder_id for acc in speaking.accounts(reload(a), now=clock.now())] == [1, 2]
    only = speaking.accounts(reload(a), now=clock.now(), tags={"turn"})
    assert [acc.holder_id for acc in only] == [1]
