"""Time-driven parts of a round, run by the due-item job (no client needs to be connected):
- timebox expiry (core.timebox, kind "lean_coffee.topic") opens the Roman vote;
- Roman votes whose `closes_at` passed are closed once (conditional UPDATE) and applied;
- when core's sweep drops the presence rows of a dead process, the round is told."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from peerlab.core import timebox
from peerlab.core.errors import NotFound
from peerlab.extensions import db
from peerlab.lean_coffee.models import RomanVote
from peerlab.lean_coffee.service import discussion, rounds

log = logging.getLogger(__name__)


@timebox.on_expiry(rounds.TIMEBOX_KIND)
def open_roman_on_expiry(box: timebox.Timebox, now: datetime) -> None:
    """The topic's box ran out: open the thumbs (committed by core.timebox)."""
    from peerlab.lean_coffee.events import broadcast

    try:
        rnd = rounds.lock(box.subject_id)
    except NotFound:  # the round is gone: the box just ends
        return
    seconds = int(current_app.config.get("ROMAN_VOTE_SECONDS", 30))
    discussion.open_roman_vote(rnd, now=now, seconds=seconds)
    broadcast(rnd, now)


def close_due_roman_votes(now: datetime) -> int:
    """Close every Roman vote whose time is up; each once, each in its own transaction."""
    from peerlab.lean_coffee.events import broadcast

    done = 0
    for vote_id, round_id in discussion.due_roman_ids(now):
        try:
            rnd = rounds.lock(round_id)
            vote = db.session.get(RomanVote, vote_id)
            if vote is not None and discussion.close_roman(rnd, vote, now=now):
                broadcast(rnd, now)
                db.session.commit()
                done += 1
            else:
                db.session.rollback()
        except Exception:
            db.session.rollback()
            log.exception("closing Roman vote %s failed", vote_id)
    return done


def presence_gone(round_id: int, now: datetime) -> None:
    """Core's sweep dropped the presence rows of a dead process in this round: tell the room
    (and close a Roman vote that now has every present thumb). Runs wherever jobs run, with or
    without SCHEDULER=external and a message queue: broadcasts leave after commit."""
    from peerlab.lean_coffee.events import announce_presence

    try:
        announce_presence(round_id, now)
    except NotFound:  # the round is gone: nobody to tell
        db.session.rollback()
