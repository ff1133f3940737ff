"""What the series page shows about speakers, questions and feedback, per date and viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.impulses.models_people import FeedbackGiver, Question, Speaker
from peerlab.impulses.service import feedback, materials, questions, speakers

HOLDING = ("confirmed", "waiting")  # a place or a waiting position: questions before the date


@dataclass
class SeriesPeople:
    names: dict[int, list[str]]  # impulse id -> speakers' names (everyone who sees the series)
    ask: set[int] = field(default_factory=set)  # dates the viewer may send a question to
    follow_up: set[int] = field(default_factory=set)  # ... or a follow-up question to
    give_feedback: set[int] = field(default_factory=set)  # dates open to the viewer's feedback
    speaks: set[int] = field(default_factory=set)  # dates the viewer speaks at
    materials: dict[int, list] = field(default_factory=dict)  # what the viewer may open


def for_series(series: Series, user: User | None, now: datetime) -> SeriesPeople:
    """What the viewer may do at each date, read for all dates at once (a fixed number of
    queries however many dates and registrations): the same rules as `questions.may_ask`,
    `questions.may_follow_up`, `feedback.may_give`, `speakers.speaks_at` and
    `materials.listing`, applied to the viewer's rows of the whole series."""
    dates = list(series.impulses)
    ids = [i.id for i in dates]
    view = SeriesPeople(names=speakers.names(ids))
    if user is None or not getattr(user, "is_authenticated", False) or not ids:
        return view
    rows = {
        r.impulse_id: r
        for r in db.session.scalars(
            select(Registration).where(
                Registration.impulse_id.in_(ids), Registration.user_id == user.id
            )
        )
    }
    view.speaks = set(
        db.session.scalars(
            select(Speaker.impulse_id).where(
                Speaker.impulse_id.in_(ids), Speaker.user_id == user.id
            )
        )
    )
    given = set(
        db.session.scalars(
            select(FeedbackGiver.impulse_id).where(
                FeedbackGiver.impulse_id.in_(ids), FeedbackGiver.user_id == user.id
            )
        )
    )
    for impulse in dates:
        row = rows.get(impulse.id)
        status = row.status if row is not None else None
        if impulse.cancelled_at is None and now < impulse.starts_at and status in HOLDING:
            view.ask.add(impulse.id)
        if questions.follow_up_open(impulse, now) and status == "confirmed":
            view.follow_up.add(impulse.id)
        attended = status == "confirmed" and row.attended
        if feedback.is_open(impulse, now) and attended and impulse.id not in given:
            view.give_feedback.add(impulse.id)
    view.materials = materials.visible_for(
        dates, user, now, organizes=access.organizes(series, user), speaking=view.speaks, rows=rows
    )
    return view


def export_user(user: User) -> dict:
    """The person's own questions, the dates they spoke at, and where they gave feedback
    (never what: the answers are not theirs to be found)."""
    asked = db.session.scalars(select(Question).where(Question.user_id == user.id)).all()
    spoke = db.session.scalars(select(Speaker).where(Speaker.user_id == user.id)).all()
    gave = db.session.scalars(
        select(Impulse)
        .join(FeedbackGiver, FeedbackGiver.impulse_id == Impulse.id)
        .where(FeedbackGiver.user_id == user.id)
    ).all()
    return {
        "questions": [
            {
                "impulse": q.impulse.title,
                "text": q.text,
                "asked_at": q.created_at.isoformat(),
                "follow_up": questions.is_follow_up(q),
            }
            for q in asked
        ],
        "speaker_at": [
            {"impulse": s.impulse.title, "starts_at": s.impulse.starts_at.isoformat()}
            for s in spoke
        ],
        "feedback_given_for": [i.title for i in gave],
    }


def erase_user(user: User) -> None:
    """Questions, speaker entries and "who answered" rows go with the account; the anonymous
    answers stay (nothing links them to anyone)."""
    for model in (Question, Speaker, FeedbackGiver):
        db.session.execute(delete(model).where(model.user_id == user.id))
