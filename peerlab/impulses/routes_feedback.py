"""Questions before a date and follow-up questions after it (and their hand-over to Lean
Coffee), and the anonymous feedback after it. Routes on the impulses blueprint; the rules live
in service.questions/feedback."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.core.actions import Next, attempt
from peerlab.core.clock import utcnow
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.forms_people import FeedbackForm, QuestionForm
from peerlab.impulses.models_people import Question
from peerlab.impulses.routes import _post, bp
from peerlab.impulses.service import feedback, questions


@bp.route("/termin/<int:impulse_id>/frage", methods=["GET", "POST"])
@login_required
def ask_question(impulse_id: int):
    impulse = access.impulse_for_view(impulse_id, current_user)
    if not questions.registered(impulse, current_user):
        raise Forbidden()
    now = utcnow()
    form = QuestionForm()
    if form.validate_on_submit():
        asked = attempt(
            lambda: questions.ask(impulse, current_user, form.text.data, now=now),
            catch=InvalidInput,
        )
        if asked.ok:
            flash(
                _("Ihre Nachfrage ist angekommen.")
                if now >= impulse.starts_at
                else _("Ihre Frage ist angekommen."),
                "success",
            )
            return redirect(url_for("impulses.ask_question", impulse_id=impulse.id))
        form.text.errors = [asked.message]
    return render_template(
        "impulses/question_form.html",
        impulse=impulse,
        form=form,
        mine=questions.mine(impulse, current_user),
        may_ask=questions.may_ask(impulse, current_user, now)
        or questions.may_follow_up(impulse, current_user, now),
        after_start=now >= impulse.starts_at,
        is_follow_up=questions.is_follow_up,
        text_max=questions.TEXT_MAX,
    )


@bp.get("/termin/<int:impulse_id>/fragen")
@login_required
def list_questions(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    return render_template(
        "impulses/questions.html",
        impulse=impulse,
        rows=questions.for_organizer(impulse, current_user),
        is_follow_up=questions.is_follow_up,
        rounds=questions.handover_rounds(current_user),
        form=EmptyForm(),
    )


@bp.post("/frage/<int:question_id>/weitergeben")
@login_required
def hand_on_question(question_id: int):
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound()
    access.impulse_for_organizer(question.impulse_id, current_user)
    raw = request.form.get("runde", "")
    if not raw.isdigit() or len(raw) > 12:
        if not EmptyForm().validate_on_submit():
            abort(400)
        flash(_("Bitte wählen Sie eine Lean-Coffee-Runde, die Sie moderieren."), "error")
        return redirect(url_for("impulses.list_questions", impulse_id=question.impulse_id))

    def act() -> Next:
        rnd = questions.hand_on(question, int(raw), actor=current_user, now=utcnow())
        return Next(
            url_for("impulses.list_questions", impulse_id=question.impulse_id),
            _("Als anonymes Thema an „%(title)s“ weitergegeben.", title=rnd.title),
        )

    return _post(act)


@bp.route("/termin/<int:impulse_id>/feedback", methods=["GET", "POST"])
@login_required
def give_feedback(impulse_id: int):
    impulse = access.impulse_for_view(impulse_id, current_user)
    if not feedback.attended(impulse, current_user):
        raise Forbidden()
    now = utcnow()
    form = FeedbackForm()
    if form.validate_on_submit():
        raw = form.rating.data or ""
        rating = int(raw) if raw.isdigit() and len(raw) < 3 else None
        given = attempt(
            lambda: feedback.give(impulse, current_user, rating, form.comment.data or "", now=now),
            catch=InvalidInput,
        )
        if given.ok:
            flash(_("Danke für Ihr Feedback."), "success")
            return redirect(url_for("impulses.show_series", series_id=impulse.series_id))
        refused = given.refusal
        (form.rating if refused.code == "rating" else form.comment).errors = [given.message]
    return render_template(
        "impulses/feedback_form.html",
        impulse=impulse,
        form=form,
        is_open=feedback.is_open(impulse, now),
        given=feedback.has_given(impulse, current_user),
        closes_at=feedback.closes_at(impulse),
        comment_max=feedback.COMMENT_MAX,
        min_answers=feedback.MIN_ANSWERS,
    )


@bp.get("/<int:series_id>/feedback")
@login_required
def series_feedback(series_id: int):
    series = access.series_for_organizer(series_id, current_user)
    return render_template(
        "impulses/feedback_results.html",
        series=series,
        view=feedback.for_series(series, now=utcnow()),
        min_answers=feedback.MIN_ANSWERS,
    )
