"""Services with the injected clock: method, expiry, role rules, anonymity floor, the end."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from peerlab.coaching import rules
from peerlab.coaching.models import (
    DEFAULT_MINUTES,
    PHASES,
    CoachingCard,
    CoachingKeep,
    CoachingSession,
)
from peerlab.coaching.service import board, ending, setup
from peerlab.core import agenda, due
from peerlab.core.authormarks import UnlinkableMark
from peerlab.core.errors import DomainError, Forbidden, InvalidInput
from peerlab.core.spaces import Membership
from peerlab.core.timebox import Timebox
from peerlab.extensions import db
from tests.coaching.conftest import actor, row


def start(session, cast, now):
    s = board.lock(session.id)
    board.start(s, row(s, cast.moderator), actor(cast.moderator), now)
    db.session.commit()
    return s


def to_phase(session, cast, key, now):
    while board.current_phase(session) != key:
        run = board.agenda_of(session)
        board.control(
            session,
            row(session, cast.moderator),
            actor(cast.moderator),
            "advance",
            now,
            expected_index=run.current_index,
        )
    db.session.commit()


def test_default_method_order_and_durations_adjustable_before_start(make_session, cast, clock):
    session = make_session()
    assert [p.key for p in setup.phases(session)] == list(PHASES)
    minutes = {**DEFAULT_MINUTES, "story": 15}
    setup.update_method(
        session, minutes, auto_advance=False, case_giver_may_propose=False, anonymous_allowed=True
    )
    db.session.commit()
    assert setup.planned_end(session) == session.starts_at + timedelta(minutes=55)
    s = start(session, cast, clock.now())
    snap = agenda.snapshot(board.agenda_of(s), now=clock.now())
    assert [i["label"] for i in snap["items"]] == list(PHASES)
    assert snap["items"][1]["duration_seconds"] == 15 * 60
    assert snap["status"] == "running" and snap["current_label"] == "casting"
    with pytest.raises(DomainError):
        setup.update_method(
            s, minutes, auto_advance=True, case_giver_may_propose=False, anonymous_allowed=True
        )


def test_setup_refuses_bad_casts_before_writing(make_session, cast):
    before = db.session.scalar(select(func.count(CoachingSession.id)))
    with pytest.raises(InvalidInput):
        make_session(advisers=2)
    with pytest.raises(InvalidInput):
        make_session(secretary=cast.advisers[0].id)  # one person, two roles
    db.session.rollback()
    assert db.session.scalar(select(func.count(CoachingSession.id))) == before


def test_expiry_waits_for_the_moderator_by_default(make_session, cast, clock):
    session = start(make_session(), cast, clock.now())
    clock.advance(5 * 60 + 1)
    due.run_due(clock.now())
    run = board.agenda_of(board.lock(session.id))
    assert run.status == "waiting" and run.current_index == 0  # "Zeit ist um"
    assert board.current_phase(session) == "casting"


def test_expiry_advances_when_set(make_session, cast, clock):
    session = start(make_session(auto_advance=True), cast, clock.now())
    clock.advance(5 * 60 + 1)
    due.run_due(clock.now())
    db.session.expire_all()
    assert board.current_phase(db.session.get(CoachingSession, session.id)) == "story"


def test_only_the_moderator_controls(make_session, cast, clock):
    session = start(make_session(), cast, clock.now())
    with pytest.raises(Forbidden):
        board.control(
            session, row(session, cast.advisers[0]), actor(cast.advisers[0]), "pause", clock.now()
        )


@pytest.mark.parametrize(
    ("phase", "role", "action", "allowed"),
    [
        ("story", "case_giver", "key", True),
        ("story", "adviser", "card", False),
        ("story", "secretary", "notes", False),
        ("story", "moderator", "card", False),
        ("questions", "adviser", "card", True),
        ("questions", "case_giver", "card", False),
        ("hypotheses", "case_giver", "mark", True),
        ("proposals", "case_giver", "card", False),
        ("proposals", "adviser", "card", True),
        ("proposals", "observer", "card", False),
        ("closing", "adviser", "card", False),
        ("closing", "secretary", "notes", True),
        (None, "case_giver", "try", True),
        (None, "adviser", "card", False),
    ],
)
def test_role_rules_per_phase(phase, role, action, allowed):
    assert rules.may(action, role, phase) is allowed


def test_case_giver_may_propose_only_when_set():
    assert rules.may("card", "case_giver", "proposals", case_giver_may_propose=True)


def test_refused_events_change_nothing(make_session, cast, clock):
    session = start(make_session(), cast, clock.now())
    to_phase(session, cast, "story", clock.now())
    adviser = row(session, cast.advisers[0])
    with pytest.raises(Forbidden) as err:
        board.add_card(session, adviser, "Eine Frage", anonymous=False, now=clock.now())
    assert err.value.code == "not_allowed_now"
    db.session.rollback()
    assert db.session.scalar(select(func.count(CoachingCard.id))) == 0
    to_phase(session, cast, "proposals", clock.now())
    with pytest.raises(Forbidden):
        board.add_card(
            session, row(session, cast.giver), "Ich selbst", anonymous=False, now=clock.now()
        )


def test_anonymity_floor(make_session, cast, clock):
    small = start(make_session(advisers=3), cast, clock.now())
    to_phase(small, cast, "hypotheses", clock.now())
    with pytest.raises(Forbidden) as err:
        board.add_card(
            small, row(small, cast.advisers[0]), "Vermutung", anonymous=True, now=clock.now()
        )
    assert err.value.code == "anonymity_floor"
    db.session.rollback()
    big = start(make_session(advisers=5), cast, clock.now())
    to_phase(big, cast, "hypotheses", clock.now())
    card, token = board.add_card(
        big, row(big, cast.advisers[0]), "Vermutung", anonymous=True, now=clock.now()
    )
    assert card.author_id is None and token
    assert db.session.scalar(select(func.count(UnlinkableMark.id))) == 1


def _db_bytes(app) -> bytes:
    path = Path(db.engine.url.database)
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_end_keeps_what_the_case_giver_marked_and_deletes_the_rest(app, make_session, cast, clock):
    session = start(make_session(advisers=5), cast, clock.now())
    sid = session.id
    to_phase(session, cast, "story", clock.now())
    board.set_key_question(session, row(session, cast.giver), "Wie schütze ich mein Team?")
    board.set_try(session, row(session, cast.giver), "Ein Gespräch mit der Polizei")
    to_phase(session, cast, "hypotheses", clock.now())
    kept, _t = board.add_card(
        session,
        row(session, cast.advisers[0]),
        "Angst im Rat MARKERKEPT",
        anonymous=False,
        now=clock.now(),
    )
    board.add_card(
        session,
        row(session, cast.advisers[1]),
        "Geheim XYZZY-MARKER",
        anonymous=True,
        now=clock.now(),
    )
    board.add_card(
        session,
        row(session, cast.advisers[2]),
        "Nicht markiert QWERTZ-MARKER",
        anonymous=False,
        now=clock.now(),
    )
    board.set_notes(session, row(session, cast.secretary), "Notiz zum Mitnehmen")
    board.mark_card(session, row(session, cast.giver), kept.id, True)
    db.session.commit()

    ending.finish(board.lock(sid), clock.now())
    db.session.commit()
    ending.checkpoint()

    keep = db.session.scalar(select(CoachingKeep))
    assert keep.user_id == cast.giver.id
    assert json.loads(keep.cards) == [{"phase": "hypotheses", "text": "Angst im Rat MARKERKEPT"}]
    assert keep.key_question == "Wie schütze ich mein Team?"
    assert keep.try_line == "Ein Gespräch mit der Polizei"
    assert keep.notes == "Notiz zum Mitnehmen"
    assert "Berater" not in json.dumps(keep.cards)  # no authors
    assert db.session.get(CoachingSession, sid) is None
    for model in (CoachingCard, UnlinkableMark, Timebox, agenda.Agenda):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert not db.session.scalar(
        select(func.count(Membership.id)).where(Membership.space_kind == "coaching.session")
    )
    assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
    raw = _db_bytes(app)
    assert b"XYZZY-MARKER" not in raw and b"QWERTZ-MARKER" not in raw
    assert b"Drohbriefe" in raw  # the keep's title: what the case giver kept stays


def test_due_item_ends_the_session_two_hours_after_the_planned_end(make_session, cast, clock):
    session = start(make_session(), cast, clock.now())
    sid = session.id
    end = setup.planned_end(session)
    clock.advance((end - clock.now()).total_seconds() + 2 * 3600 - 60)
    due.run_due(clock.now())
    assert db.session.get(CoachingSession, sid) is not None
    clock.advance(120)
    due.run_due(clock.now())
    db.session.expire_all()
    assert db.session.get(CoachingSession, sid) is None
    assert db.session.scalar(select(CoachingKeep)).user_id == cast.giver.id


def test_a_session_that_never_started_leaves_no_keep(make_session, cast, clock):
    session = make_session()
    assert ending.finish(board.lock(session.id), clock.now()) is None
    db.session.commit()
    assert db.session.scalar(select(CoachingKeep)) is None
    assert db.session.get(CoachingSession, session.id) is None
