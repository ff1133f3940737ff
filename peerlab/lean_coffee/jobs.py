"""Time-driven parts of a round, run by the due-item job (no client needs to be connected):
- timebox expiry (core.timebox, kind "lean_coffee.topic") opens the Roman vote and schedules
  its close as a due item (core.due), so each close runs once, isolated, with retries;
- that due item closes the vote (conditional UPDATE) and applies the result;
- when core's sweep drops the presence rows of a dead process, the round is told."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from peerlab.core import due, timebox
from peerlab.core.errors import NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import RomanVote
from peerlab.lean_coffee.service import discussion, rounds

log = logging.getLogger(__name__)


ROMAN_CLOSE_KIND = "lean_coffee.roman_close"


def open_roman_on_expiry(box: timebox.Timebox, now: datetime) -> None:
    """The topic's box ran out: open the thumbs and schedule their close (a due item)."""
    from peerlab.lean_coffee.events import broadcast

    try:
        rnd = rounds.lock(box.subject_id)
    except NotFound:  # the round is gone: the box just ends
        return
    seconds = int(current_app.config.get("ROMAN_VOTE_SECONDS", 30))
    vote = discussion.open_roman_vote(rnd, now=now, seconds=seconds)
    if vote is not None:
        due.schedule(
            ROMAN_CLOSE_KIND,
            due_at=vote.closes_at,
            now=now,
            subject=(rounds.SUBJECT_KIND, rnd.id),
            payload={"vote_id": vote.id},
        )
    broadcast(rnd, now)


def close_roman_when_due(item: due.DueItem, now: datetime) -> None:
    """Due item: the thumbs' time is up. A vote closed earlier (all thumbs in, facilitator's
    decision) is not closed again: `close_roman` is itself a conditional update."""
    from peerlab.lean_coffee.events import broadcast

    try:
        rnd = rounds.lock(item.subject_id)
    except NotFound:
        return
    vote = db.session.get(RomanVote, item.payload.get("vote_id"))
    if vote is not None and vote.round_id == rnd.id and discussion.close_roman(rnd, vote, now=now):
        broadcast(rnd, now)


def presence_gone(round_id: int, now: datetime) -> None:
    """Core's sweep dropped the presence rows of a dead process in this round: tell the room
    (and close a Roman vote that now has every present thumb). Runs wherever jobs run, with or
    without SCHEDULER=external and a message queue: broadcasts leave after commit."""
    from peerlab.lean_coffee.events import announce_presence

    announce_presence(round_id, now)  # the round gone or a failure: handled there
