"""Questions sent in before an impulse, follow-up questions after it, and handing one on to
Lean Coffee.

A person registered for a date (confirmed or waiting) asks until the start. A person with a
confirmed place (attendance ticked or not) sends a follow-up question ("Nachfrage") from the
end for FOLLOW_UP_WINDOW. Both are rows of impulse_questions: a row created at or after the
date's start is a follow-up (is_follow_up), so no kind column is needed; the limits count each
kind separately. The organizer sees who asked (as with registrations); speakers see the texts
only. The organizer may hand a question (of either kind) on as an ANONYMOUS topic to a Lean
Coffee round they facilitate that belongs to no group; that goes through Lean Coffee's own
services (topics.add_topic), never its tables.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.core.errors import DomainError, Forbidden, InvalidInput
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.models_people import Question
from peerlab.impulses.service import registrations
from peerlab.lean_coffee import access as lc_access
from peerlab.lean_coffee.models import FACILITATING, Participant, Round
from peerlab.lean_coffee.service import rounds, topics

TEXT_MAX = 280
PER_PERSON = 5
TOPIC_TITLE_MAX = 120
FOLLOW_UP_WINDOW = timedelta(days=7)


def registered(impulse: Impulse, user: User | None) -> bool:
    return registrations.holds(impulse, user, Registration.status.in_(("confirmed", "waiting")))


def took_part(impulse: Impulse, user: User | None) -> bool:
    """A confirmed place (attendance ticked or not: ticking is optional for organizers)."""
    return registrations.holds(impulse, user, Registration.status == "confirmed")


def is_follow_up(question: Question) -> bool:
    return question.created_at >= question.impulse.starts_at


def may_ask(impulse: Impulse, user: User | None, now: datetime) -> bool:
    return impulse.cancelled_at is None and now < impulse.starts_at and registered(impulse, user)


def follow_up_open(impulse: Impulse, now: datetime) -> bool:
    return (
        impulse.cancelled_at is None and impulse.ends_at <= now < impulse.ends_at + FOLLOW_UP_WINDOW
    )


def may_follow_up(impulse: Impulse, user: User | None, now: datetime) -> bool:
    return follow_up_open(impulse, now) and took_part(impulse, user)


def ask(impulse: Impulse, user: User, text: str, *, now: datetime) -> Question:
    """A question before the start, or a follow-up question after the end (see above)."""
    follow_up = now >= impulse.starts_at
    if not (took_part if follow_up else registered)(impulse, user):
        raise Forbidden()
    if impulse.cancelled_at is not None or (follow_up and not follow_up_open(impulse, now)):
        raise InvalidInput(
            _("Fragen sind vor dem Termin möglich, Nachfragen bis 7 Tage nach seinem Ende.")
        )
    text = topics.clean_text(text, empty_message=_("Bitte schreiben Sie Ihre Frage."))
    if len(text) > TEXT_MAX:
        raise InvalidInput(_("Die Frage ist zu lang (höchstens %(n)d Zeichen).", n=TEXT_MAX))
    since_start = Question.created_at >= impulse.starts_at
    asked = db.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(
            Question.impulse_id == impulse.id,
            Question.user_id == user.id,
            since_start if follow_up else ~since_start,
        )
    )
    if asked >= PER_PERSON:
        raise InvalidInput(
            _("Sie haben zu diesem Termin schon %(n)d Nachfragen gestellt.", n=PER_PERSON)
            if follow_up
            else _("Sie haben zu diesem Termin schon %(n)d Fragen gestellt.", n=PER_PERSON)
        )
    question = Question(impulse_id=impulse.id, user_id=user.id, text=text, created_at=now)
    db.session.add(question)
    db.session.flush()
    return question


def mine(impulse: Impulse, user: User) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.impulse_id == impulse.id, Question.user_id == user.id)
            .order_by(Question.id)
        )
    )


def for_organizer(impulse: Impulse, actor: User) -> list[Question]:
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    return list(
        db.session.scalars(
            select(Question).where(Question.impulse_id == impulse.id).order_by(Question.id)
        )
    )


def texts_for_speaker(impulse: Impulse, *, follow_ups: bool = False) -> list[str]:
    """The questions (or the follow-up questions) as speakers see them: the text only, no
    names, no times."""
    since_start = Question.created_at >= impulse.starts_at
    return list(
        db.session.scalars(
            select(Question.text)
            .where(Question.impulse_id == impulse.id, since_start if follow_ups else ~since_start)
            .order_by(Question.id)
        )
    )


def _actor(user: User) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


def handover_rounds(user: User) -> list[Round]:
    """Lean Coffee rounds this person facilitates, outside any group, still collecting topics
    and allowing anonymous ones."""
    candidates = db.session.scalars(
        select(Round)
        .join(Participant, Participant.round_id == Round.id)
        .where(
            Participant.user_id == user.id,
            Participant.role.in_(FACILITATING),
            Round.group_id.is_(None),
            Round.cancelled_at.is_(None),
            Round.phase == "collect",
            Round.anonymous_allowed.is_(True),
        )
        .order_by(Round.starts_at)
    ).all()
    return [r for r in candidates if lc_access.access_for(r, _actor(user)).is_facilitator]


def _topic_text(question: Question) -> tuple[str, str]:
    if len(question.text) <= TOPIC_TITLE_MAX:
        return question.text, ""
    if is_follow_up(question):
        title = _("Nachfrage zum Kurzimpuls „%(title)s“", title=question.impulse.title)
    else:
        title = _("Frage zum Kurzimpuls „%(title)s“", title=question.impulse.title)
    if len(title) > TOPIC_TITLE_MAX:
        title = title[: TOPIC_TITLE_MAX - 1] + "…"
    return title, question.text


def hand_on(question: Question, round_id: int, *, actor: User, now: datetime) -> Round:
    """Add the question as an anonymous topic to one of the actor's rounds (see above)."""
    from peerlab.lean_coffee import events

    if not access.organizes(question.impulse.series, actor):
        raise Forbidden()
    if question.handed_on_at is not None:
        raise InvalidInput(_("Diese Frage ist schon weitergegeben."))
    if round_id not in {r.id for r in handover_rounds(actor)}:
        raise InvalidInput(_("Bitte wählen Sie eine Lean-Coffee-Runde, die Sie moderieren."))
    rnd = rounds.lock(round_id)
    me = lc_access.require(rnd, _actor(actor))
    lc_access.require_facilitator(me)
    title, detail = _topic_text(question)
    try:
        topics.add_topic(rnd, me, title, detail, anonymous=True, now=now)
    except DomainError as err:
        raise InvalidInput(err.message) from err
    events.broadcast(rnd, now)
    question.handed_on_at = now
    question.handed_round_id = rnd.id
    db.session.flush()
    return rnd
