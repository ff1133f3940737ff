"""What the series page shows about speakers, questions and feedback, per date and viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Series
from peerlab.impulses.models_people import FeedbackGiver, Question, Speaker
from peerlab.impulses.service import feedback, questions, speakers


@dataclass
class SeriesPeople:
    names: dict[int, list[str]]  # impulse id -> speakers' names (everyone who sees the series)
    ask: set[int] = field(default_factory=set)  # dates the viewer may send a question to
    follow_up: set[int] = field(default_factory=set)  # ... or a follow-up question to
    give_feedback: set[int] = field(default_factory=set)  # dates open to the viewer's feedback
    speaks: set[int] = field(default_factory=set)  # dates the viewer speaks at


def for_series(series: Series, user: User | None, now: datetime) -> SeriesPeople:
    dates = list(series.impulses)
    view = SeriesPeople(names=speakers.names([i.id for i in dates]))
    if user is None:
        return view
    for impulse in dates:
        if questions.may_ask(impulse, user, now):
            view.ask.add(impulse.id)
        if questions.may_follow_up(impulse, user, now):
            view.follow_up.add(impulse.id)
        if feedback.may_give(impulse, user, now):
            view.give_feedback.add(impulse.id)
        if speakers.speaks_at(impulse, user):
            view.speaks.add(impulse.id)
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
