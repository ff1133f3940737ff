"""Discussion rules: timebox expiry opens the Roman vote, closing, extension, override."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerlab.core import due, timebox
from peerlab.core.errors import Conflict, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.models import RomanVote, Topic
from peerlab.lean_coffee.service import discussion, presence, rounds, topics


def discussing(cast, now, n=3):
    made = [topics.add_topic(cast.round, cast.anna, f"Thema {i}", now=now) for i in range(n)]
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    for i, p in enumerate((cast.fac, cast.anna, cast.ben)):
        presence.connect(cast.round, p, f"sid-{i}", now=now)
    db.session.commit()
    return made


def expire(clock, seconds):
    now = clock.advance(seconds)
    due.run_due(now)
    return now


def roman(cast):
    return db.session.scalar(
        select(RomanVote).where(RomanVote.round_id == cast.round.id).order_by(RomanVote.id.desc())
    )


def test_expiry_opens_roman_vote_without_any_client(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    expire(clock, 8 * 60 + 1)
    vote = roman(cast)
    assert vote is not None and vote.closed_at is None
    box = db.session.get(timebox.Timebox, cast.round.timebox_id)
    assert box.status == timebox.EXPIRED


def test_roman_vote_closes_when_everyone_present_voted_and_extends_by_half(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    later = expire(clock, 8 * 60 + 1)
    discussion.give_thumb(cast.round, cast.fac, "up", now=later)
    discussion.give_thumb(cast.round, cast.anna, "side", now=later)
    assert roman(cast).closed_at is None
    assert discussion.give_thumb(cast.round, cast.ben, "up", now=later) is True
    vote = roman(cast)
    assert (vote.up, vote.side, vote.down, vote.outcome) == (2, 1, 0, "extend")
    box = db.session.get(timebox.Timebox, cast.round.timebox_id)
    assert box.status == timebox.RUNNING and box.duration_seconds == 4 * 60


def test_extensions_halve_down_to_the_minimum(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    lengths = []
    for _ in range(4):
        later = expire(clock, cast.round.segment_seconds + 1)
        for p in (cast.fac, cast.anna, cast.ben):
            discussion.give_thumb(cast.round, p, "up", now=later)
        db.session.commit()
        lengths.append(cast.round.segment_seconds)
    assert lengths == [240, 120, 60, 60]


def test_tie_or_no_thumbs_moves_on_after_timeout(make_round, app, clock, now):
    cast = make_round()
    t = discussing(cast, now)
    first = cast.round.current_topic_id
    later = expire(clock, 8 * 60 + 1)
    discussion.give_thumb(cast.round, cast.fac, "up", now=later)
    discussion.give_thumb(cast.round, cast.anna, "down", now=later)
    db.session.commit()
    expire(clock, app.config["ROMAN_VOTE_SECONDS"] + 1)
    vote = roman(cast)
    db.session.refresh(cast.round)
    assert vote.outcome == "next" and (vote.up, vote.down) == (1, 1)
    assert db.session.get(Topic, first).status == "discussed"
    assert cast.round.current_topic_id not in (None, first)
    assert len(t) == 3


def test_roman_vote_closes_only_once(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    later = expire(clock, 8 * 60 + 1)
    vote = roman(cast)
    assert discussion.close_roman(cast.round, vote, now=later) is True
    assert discussion.close_roman(cast.round, vote, now=later) is False


def test_thumbs_only_while_a_vote_is_open(make_round, now):
    cast = make_round()
    discussing(cast, now)
    with pytest.raises(Conflict) as err:
        discussion.give_thumb(cast.round, cast.anna, "up", now=now)
    assert err.value.code == "no_roman_vote"


def test_facilitator_override_moves_on_despite_thumbs_up(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    first = cast.round.current_topic_id
    later = expire(clock, 8 * 60 + 1)
    discussion.give_thumb(cast.round, cast.anna, "up", now=later)
    discussion.decide(cast.round, "next", now=later)
    vote = roman(cast)
    assert vote.outcome == "next" and vote.overridden and vote.up == 1
    assert cast.round.current_topic_id != first


def test_next_topic_after_the_last_leaves_no_current_topic(make_round, now):
    cast = make_round()
    discussing(cast, now, n=1)
    assert discussion.next_topic(cast.round, now=now) is None
    assert cast.round.current_topic_id is None
    rounds.advance_phase(cast.round, "wrapup", now=now)
    assert cast.round.phase == "wrapup"


def test_pause_resume_keep_remaining_time(make_round, clock, now):
    cast = make_round()
    discussing(cast, now)
    box = db.session.get(timebox.Timebox, cast.round.timebox_id)
    discussion.pause(cast.round, now=now)
    later = clock.advance(600)
    discussion.resume(cast.round, now=later)
    assert timebox.remaining(box, now=later) == 480


def test_skip_current_topic_pulls_next_and_stays_undiscussed(make_round, now):
    cast = make_round()
    discussing(cast, now)
    current = cast.round.current_topic_id
    topics.skip_topic(cast.round, current, now=now)
    assert db.session.get(Topic, current).status == "skipped"
    assert cast.round.current_topic_id not in (None, current)


def test_timer_actions_outside_discussion_are_refused(make_round, now):
    cast = make_round()
    with pytest.raises(WrongPhase):
        discussion.pause(cast.round, now=now)


def test_expiry_of_a_box_whose_round_is_gone_just_ends(app, clock, now):
    box = timebox.create("lean_coffee.topic", 424242)
    timebox.start(box, 5, now=now)
    db.session.commit()
    assert timebox.process_expired(clock.advance(6)) == 1
    assert db.session.get(timebox.Timebox, box.id).status == timebox.EXPIRED
