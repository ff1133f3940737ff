"""What the series page shows about speakers, questions and feedback, per date and viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from peerlab.accounts.models import User
from peerlab.impulses.models import Series
from peerlab.impulses.service import feedback, questions, speakers


@dataclass
class SeriesPeople:
    names: dict[int, list[str]]  # impulse id -> speakers' names (everyone who sees the series)
    ask: set[int] = field(default_factory=set)  # dates the viewer may send a question to
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
        if feedback.may_give(impulse, user, now):
            view.give_feedback.add(impulse.id)
        if speakers.speaks_at(impulse, user):
            view.speaks.add(impulse.id)
    return view
