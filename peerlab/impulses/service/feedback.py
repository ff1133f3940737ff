"""Anonymous feedback after an impulse: rating 1–5 and a comment.

Open to people marked as attendees, from the impulse's end for 7 days. Giving feedback writes
two rows that share no key (models_people): who answered (impulse, person) and what was
answered (random id, impulse, rating, comment), with no time on either. Results: a speaker and
the organizer see an impulse's results only after its feedback closed and with at least 5
answers. Impulses below that are pooled for the organizer: closed impulses of the series with
1–4 answers are gathered in date order into fixed pools that each close at 5 answers or more;
a pool once shown never grows, so comparing two views reveals no single impulse's answers.
Comments are shown without times, in random order.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.impulses.models_people import FeedbackAnswer, FeedbackGiver
from peerlab.impulses.service import registrations
from peerlab.lean_coffee.service.topics import clean_text

WINDOW = timedelta(days=7)
MIN_ANSWERS = 5
COMMENT_MAX = 1000
_shuffle = random.SystemRandom().shuffle


def closes_at(impulse: Impulse) -> datetime:
    return impulse.ends_at + WINDOW


def is_open(impulse: Impulse, now: datetime) -> bool:
    return impulse.cancelled_at is None and impulse.ends_at <= now < closes_at(impulse)


def attended(impulse: Impulse, user: User | None) -> bool:
    return registrations.holds(
        impulse, user, Registration.status == "confirmed", Registration.attended.is_(True)
    )


def has_given(impulse: Impulse, user: User) -> bool:
    return db.session.get(FeedbackGiver, (impulse.id, user.id)) is not None


def may_give(impulse: Impulse, user: User | None, now: datetime) -> bool:
    return is_open(impulse, now) and attended(impulse, user) and not has_given(impulse, user)


def give(impulse: Impulse, user: User, rating: object, comment: str, *, now: datetime) -> None:
    """Record one anonymous answer. The (impulse, person) key makes a second answer fail in
    the database, also when two are sent at once."""
    if not attended(impulse, user):
        raise Forbidden()
    if not is_open(impulse, now):
        raise InvalidInput(_("Feedback ist nur in den 7 Tagen nach dem Termin möglich."))
    if has_given(impulse, user):
        raise InvalidInput(_("Sie haben zu diesem Termin schon Feedback gegeben."))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidInput(_("Bitte wählen Sie eine Bewertung von 1 bis 5."), code="rating")
    text = clean_text(comment)
    if len(text) > COMMENT_MAX:
        raise InvalidInput(_("Der Kommentar ist zu lang (höchstens %(n)d Zeichen).", n=COMMENT_MAX))
    db.session.add(FeedbackGiver(impulse_id=impulse.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError as err:
        raise InvalidInput(_("Sie haben zu diesem Termin schon Feedback gegeben.")) from err
    db.session.add(
        FeedbackAnswer(id=secrets.token_hex(16), impulse_id=impulse.id, rating=rating, comment=text)
    )
    db.session.flush()


@dataclass
class Summary:
    count: int
    average: float
    distribution: list[int]  # how many gave 1, 2, 3, 4, 5
    comments: list[str]  # in random order, no times

    @property
    def average_text(self) -> str:
        return format_decimal(self.average, format="0.0")


@dataclass
class Results:
    state: str  # "open" (not closed yet) | "too_few" | "shown"
    closes_at: datetime
    summary: Summary | None = None


def _summary(impulse_ids: list[int]) -> Summary:
    rows = db.session.execute(
        select(FeedbackAnswer.rating, FeedbackAnswer.comment).where(
            FeedbackAnswer.impulse_id.in_(impulse_ids)
        )
    ).all()
    distribution = [sum(1 for r in rows if r.rating == n) for n in range(1, 6)]
    comments = [r.comment for r in rows if r.comment]
    _shuffle(comments)
    return Summary(
        count=len(rows),
        average=round(sum(r.rating for r in rows) / len(rows), 1),
        distribution=distribution,
        comments=comments,
    )


def _counts(impulse_ids: list[int]) -> dict[int, int]:
    if not impulse_ids:
        return {}
    return dict(
        db.session.execute(
            select(FeedbackAnswer.impulse_id, func.count())
            .where(FeedbackAnswer.impulse_id.in_(impulse_ids))
            .group_by(FeedbackAnswer.impulse_id)
        ).all()
    )


def results(impulse: Impulse, *, now: datetime) -> Results:
    """One impulse's results, for its speakers and organizer (the callers check who asks)."""
    closes = closes_at(impulse)
    if now < closes:
        return Results("open", closes)
    if _counts([impulse.id]).get(impulse.id, 0) < MIN_ANSWERS:
        return Results("too_few", closes)
    return Results("shown", closes, _summary([impulse.id]))


@dataclass
class Pool:
    impulses: list[Impulse]
    summary: Summary


@dataclass
class SeriesResults:
    single: list[tuple[Impulse, Results]]
    pools: list[Pool] = field(default_factory=list)
    pending: list[Impulse] = field(default_factory=list)  # small, closed, not pooled yet


def for_series(series: Series, *, now: datetime) -> SeriesResults:
    """The organizer's view: each date, and the pools of closed dates below 5 answers."""
    dates = [i for i in series.impulses if i.cancelled_at is None and i.ends_at <= now]
    counts = _counts([i.id for i in dates])
    out = SeriesResults(single=[(i, results(i, now=now)) for i in dates])
    gathering: list[Impulse] = []
    total = 0
    for impulse in dates:
        n = counts.get(impulse.id, 0)
        if now < closes_at(impulse) or not 0 < n < MIN_ANSWERS:
            continue
        gathering.append(impulse)
        total += n
        if total >= MIN_ANSWERS:
            out.pools.append(Pool(gathering, _summary([i.id for i in gathering])))
            gathering, total = [], 0
    out.pending = gathering
    return out
