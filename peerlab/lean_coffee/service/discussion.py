"""Discussing: the current topic, its timebox (core.timebox) and the Roman vote.

The box runs out on the server (timebox expiry → `open_roman_vote`); the Roman vote closes
when every present participant gave a thumb or at its `closes_at` (a due row, closed once by a
conditional UPDATE). More up than down extends by `extension_percent` of the previous box
(minimum `min_extension_seconds`); a tie or no thumbs moves on to the next topic."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from peerlab.core import timebox
from peerlab.core.errors import Conflict, InvalidInput, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, RomanVote, Round, Thumb, Topic
from peerlab.lean_coffee.service import presence
from peerlab.lean_coffee.service.rounds import TIMEBOX_KIND, require_active
from peerlab.lean_coffee.service.topics import waiting_topics

THUMBS = ("up", "side", "down")


def box_of(rnd: Round) -> timebox.Timebox:
    return timebox.attached(rnd, TIMEBOX_KIND)


def current_topic(rnd: Round) -> Topic | None:
    return db.session.get(Topic, rnd.current_topic_id) if rnd.current_topic_id else None


def pull_next(rnd: Round, *, now: datetime) -> Topic | None:
    """Make the first waiting topic current and start a full timebox (None: nothing left)."""
    queue = waiting_topics(rnd)
    box = box_of(rnd)
    if not queue:
        rnd.current_topic_id = None
        timebox.stop(box)
        db.session.flush()
        return None
    topic = queue[0]
    order = (
        db.session.scalar(select(func.max(Topic.discussed_order)).where(Topic.round_id == rnd.id))
        or 0
    )
    topic.status = "discussing"
    topic.discussed_order = order + 1
    rnd.current_topic_id = topic.id
    rnd.segment_seconds = rnd.timebox_seconds
    box.extensions = 0
    timebox.start(box, rnd.timebox_seconds, now=now)
    db.session.flush()
    return topic


def _close_open_roman(rnd: Round, now: datetime, *, outcome: str | None) -> None:
    open_vote = open_roman(rnd)
    if open_vote is not None:
        _tally(open_vote)
        open_vote.closed_at = now
        open_vote.outcome = outcome
        open_vote.overridden = True


def finish_current(rnd: Round, *, status: str = "discussed", now: datetime) -> None:
    topic = current_topic(rnd)
    _close_open_roman(rnd, now, outcome="next")
    if topic is not None:
        topic.status = status
    rnd.current_topic_id = None
    db.session.flush()


def next_topic(rnd: Round, *, now: datetime) -> Topic | None:
    """Facilitator: the current topic is done, the next one starts."""
    require_active(rnd, "discuss")
    finish_current(rnd, now=now)
    return pull_next(rnd, now=now)


def end_discussion(rnd: Round, *, now: datetime) -> None:
    finish_current(rnd, now=now)
    if rnd.timebox_id:
        timebox.stop(box_of(rnd))


def _require_topic(rnd: Round) -> Topic:
    require_active(rnd, "discuss")
    topic = current_topic(rnd)
    if topic is None:
        raise Conflict(_("Gerade wird kein Thema besprochen."), code="no_topic")
    return topic


def pause(rnd: Round, *, now: datetime) -> None:
    _require_topic(rnd)
    timebox.pause(box_of(rnd), now=now)


def resume(rnd: Round, *, now: datetime) -> None:
    _require_topic(rnd)
    timebox.resume(box_of(rnd), now=now)


def extension_seconds(rnd: Round) -> int:
    previous = rnd.segment_seconds or rnd.timebox_seconds
    return max(rnd.min_extension_seconds, previous * rnd.extension_percent // 100)


def extend(rnd: Round, seconds: int | None, *, now: datetime) -> int:
    """Facilitator extends (an open Roman vote is closed as overridden); returns the seconds."""
    _require_topic(rnd)
    if seconds is not None and not 1 <= seconds <= 3600:
        raise InvalidInput(
            _("Die Verlängerung muss zwischen 1 Sekunde und 60 Minuten liegen."),
            code="out_of_range",
        )
    added = seconds or extension_seconds(rnd)
    _close_open_roman(rnd, now, outcome="extend")
    box = box_of(rnd)
    if box.status in (timebox.RUNNING, timebox.PAUSED):
        timebox.extend(box, added, now=now)
    else:
        timebox.start(box, added, now=now)
        box.extensions += 1
    rnd.segment_seconds = added
    db.session.flush()
    return added


# --- Roman vote ----------------------------------------------------------------------------
def open_roman(rnd: Round) -> RomanVote | None:
    return db.session.scalar(
        select(RomanVote).where(RomanVote.round_id == rnd.id, RomanVote.closed_at.is_(None))
    )


def last_roman(rnd: Round) -> RomanVote | None:
    if rnd.current_topic_id is None:
        return None
    return db.session.scalar(
        select(RomanVote)
        .where(RomanVote.round_id == rnd.id, RomanVote.topic_id == rnd.current_topic_id)
        .order_by(RomanVote.id.desc())
        .limit(1)
    )


def open_roman_vote(rnd: Round, *, now: datetime, seconds: int) -> RomanVote | None:
    """The box ran out: open the thumbs (called from the timebox expiry handler)."""
    if rnd.phase != "discuss" or rnd.cancelled_at or rnd.current_topic_id is None:
        return None
    if open_roman(rnd) is not None:
        return None
    vote = RomanVote(
        round_id=rnd.id,
        topic_id=rnd.current_topic_id,
        opened_at=now,
        closes_at=now + timedelta(seconds=seconds),
        previous_seconds=rnd.segment_seconds or rnd.timebox_seconds,
    )
    db.session.add(vote)
    db.session.flush()
    return vote


def present_count(rnd: Round) -> int:
    return presence.present_count(rnd)


def thumbs_given(vote: RomanVote) -> int:
    return (
        db.session.scalar(select(func.count(Thumb.id)).where(Thumb.roman_vote_id == vote.id)) or 0
    )


def give_thumb(rnd: Round, me: Participant, value: str, *, now: datetime) -> bool:
    """Raise (or change) a thumb; returns True when this closed the vote (everyone voted)."""
    require_active(rnd, "discuss")
    if value not in THUMBS:
        raise InvalidInput(_("Unbekannter Daumen."), code="bad_payload")
    vote = open_roman(rnd)
    if vote is None:
        raise Conflict(_("Gerade läuft keine Daumen-Abstimmung."), code="no_roman_vote")
    existing = db.session.scalar(
        select(Thumb).where(Thumb.roman_vote_id == vote.id, Thumb.participant_id == me.id)
    )
    if existing is None:
        db.session.add(Thumb(roman_vote_id=vote.id, participant_id=me.id, value=value))
    else:
        existing.value = value
    db.session.flush()
    present = present_count(rnd)
    if present and thumbs_given(vote) >= present:
        return close_roman(rnd, vote, now=now)
    return False


def my_thumb(rnd: Round, me: Participant) -> str | None:
    vote = open_roman(rnd)
    if vote is None:
        return None
    return db.session.scalar(
        select(Thumb.value).where(Thumb.roman_vote_id == vote.id, Thumb.participant_id == me.id)
    )


def _tally(vote: RomanVote) -> None:
    counts = dict(
        db.session.execute(
            select(Thumb.value, func.count(Thumb.id))
            .where(Thumb.roman_vote_id == vote.id)
            .group_by(Thumb.value)
        ).all()
    )
    vote.up, vote.side, vote.down = (int(counts.get(k, 0)) for k in THUMBS)


def close_roman(rnd: Round, vote: RomanVote, *, now: datetime, decision: str | None = None) -> bool:
    """Close once (conditional UPDATE), reveal the thumbs together and apply the result."""
    claimed = db.session.execute(
        update(RomanVote)
        .where(RomanVote.id == vote.id, RomanVote.closed_at.is_(None))
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(vote)
    _tally(vote)
    outcome = decision or ("extend" if (vote.up or 0) > (vote.down or 0) else "next")
    vote.outcome = outcome
    vote.overridden = decision is not None
    if outcome == "extend":
        added = extension_seconds(rnd)
        vote.extension_seconds = added
        box = box_of(rnd)
        timebox.start(box, added, now=now)
        box.extensions += 1
        rnd.segment_seconds = added
    else:
        topic = current_topic(rnd)
        if topic is not None:
            topic.status = "discussed"
        rnd.current_topic_id = None
        pull_next(rnd, now=now)
    db.session.flush()
    return True


def decide(rnd: Round, decision: str, *, now: datetime) -> None:
    """Facilitator override of an open Roman vote."""
    require_active(rnd, "discuss")
    if decision not in ("extend", "next"):
        raise InvalidInput(_("Unbekannte Entscheidung."), code="bad_payload")
    vote = open_roman(rnd)
    if vote is None:
        raise Conflict(_("Gerade läuft keine Daumen-Abstimmung."), code="no_roman_vote")
    if not close_roman(rnd, vote, now=now, decision=decision):
        raise WrongPhase()
