"""Circle pages: list, start, invitation, the circle page, check-in, goal, leaving.
Thin: each route asks access/services and renders; the private workspace is in routes_workspace."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from peerlab.accounts.actors import signed_in_actor
from peerlab.accounts.models import User
from peerlab.accounts.routes_profile import timezone_choices
from peerlab.circles import access, prompts, schedule
from peerlab.circles.forms import WEEKDAYS, CheckInForm, CircleForm, GoalForm
from peerlab.circles.models import Circle
from peerlab.circles.service import checkins, workspace
from peerlab.circles.service import circles as service
from peerlab.circles.service import meeting as meeting_service
from peerlab.core.actions import attempt
from peerlab.core.clock import utcnow
from peerlab.core.forms import EmptyForm
from peerlab.core.joining import may_join_now
from peerlab.extensions import db

bp = Blueprint("circles", __name__, url_prefix="/circles")


def weekday_name(number: int) -> str:
    return str(WEEKDAYS[number].label)


@bp.app_template_global("circle_rhythm")
def rhythm(circle: Circle) -> str:
    from peerlab.i18n import zone_label

    return _(
        "jeden %(day)s um %(time)s Uhr – Zeitzone %(zone)s",
        day=weekday_name(circle.weekday),
        time=circle.local_time.strftime("%H:%M"),
        zone=zone_label(circle.zone),
    )


@bp.get("/")
@login_required
def index():
    actor = signed_in_actor()
    mine = db.session.scalars(
        select(Circle).where(access.overview_condition(actor)).order_by(Circle.start_date.desc())
    ).all()
    invited = service.invited_to(actor.id)
    now = utcnow()
    return render_template(
        "circles/list.html",
        circles=mine,
        invited=invited,
        archived=schedule.archived_ids(mine, now),
        now=now,
    )


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def create():
    actor = signed_in_actor()
    form = CircleForm()
    may_organize = current_user.role in access.CREATORS
    if not may_organize:
        del form.join
    form.zone.choices = timezone_choices(form.zone.data or "Europe/Berlin")
    people = db.session.scalars(
        select(User).where(User.status == "active", User.id != actor.id).order_by(User.name)
    ).all()
    form.invitees.choices = [
        SelectChoice(u.id, u.display_name + (f" ({u.municipality})" if u.municipality else ""))
        for u in people
    ]
    error = None
    if form.validate_on_submit():
        settings = service.CircleSettings(
            name=form.name.data or "",
            weekday=form.weekday.data,
            local_time=form.local_time.data,
            zone=form.zone.data,
            start_date=form.start_date.data,
            video_url=form.video_url.data or "",
            language=form.language.data,
            invitees=tuple(form.invitees.data or ()),
            join=bool(form.join.data) if may_organize else True,
        )
        made = attempt(lambda: service.create_circle(settings, creator=current_user, now=utcnow()))
        if made.ok:
            flash(_("Der Circle ist angelegt; die Eingeladenen sehen ihre Einladung."), "success")
            return redirect(url_for("circles.show", circle_id=made.value.id))
        error = made.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template("circles/form.html", form=form, error=error), (422 if error else 200)


@bp.get("/<int:circle_id>")
@login_required
def show(circle_id: int):
    actor = signed_in_actor()
    now = utcnow()
    circle = access.require_overview(circle_id, actor)
    members = service.members(circle)
    meetings = schedule.of(circle)
    current = schedule.current(circle, now)
    if not access.may_see_content(circle, actor):
        # the organizer who set the circle up without joining: name, members and dates only
        return render_template(
            "circles/overview.html", circle=circle, members=members, meetings=meetings
        )
    me = access.membership(circle, actor)
    upcoming = checkins.open_meeting(circle, now)
    return render_template(
        "circles/show.html",
        circle=circle,
        me=me,
        members=members,
        meetings=meetings,
        current=current,
        focus=prompts.focus(current.number) if current else None,
        upcoming=upcoming,
        my_checkin=checkins.mine(circle, me, upcoming.number) if upcoming else None,
        checked_in=checkins.checked_in_ids(circle, current.number) if current else set(),
        current_checkins=checkins.for_meeting(circle, current.number, actor) if current else [],
        history=[
            (m, prompts.focus(m.number), checkins.for_meeting(circle, m.number, actor))
            for m in reversed(schedule.past(circle, now))
        ],
        shared=workspace.shared_entries(circle, actor),
        meeting_notes=meeting_service.notes_by_number(circle, actor),
        join_now=current is not None and may_join_now(_target(current), now),
        guide_url=prompts.GUIDE_URL,
        leave_form=EmptyForm(),
        zone=ZoneInfo(circle.zone),
    )


def _target(meeting):
    from peerlab.core.joining import JoinTarget

    return JoinTarget(url="", starts_at=meeting.starts_at, ends_at=meeting.ends_at)


@bp.route("/<int:circle_id>/einladung", methods=["GET", "POST"])
@login_required
def invitation(circle_id: int):
    actor = signed_in_actor()
    circle, _row = access.require_invitation(circle_id, actor)
    form = EmptyForm()
    if form.validate_on_submit():
        accept = request.form.get("antwort") == "zusage"
        service.answer_invitation(circle.id, actor, accept=accept, now=utcnow())
        db.session.commit()
        if accept:
            flash(_("Willkommen im Circle! Die Kalendereinladung kommt per E-Mail."), "success")
            return redirect(url_for("circles.show", circle_id=circle.id))
        flash(_("Sie haben die Einladung abgelehnt."), "info")
        return redirect(url_for("circles.index"))
    return render_template(
        "circles/invitation.html",
        circle=circle,
        members=service.members(circle),
        meetings=schedule.of(circle),
        form=form,
    )


@bp.route("/<int:circle_id>/check-in/<int:number>", methods=["GET", "POST"])
@login_required
def checkin(circle_id: int, number: int):
    actor = signed_in_actor()
    circle, me = access.require_member(circle_id, actor)
    meeting = schedule.meeting(circle, number)
    if meeting is None:
        abort(404)
    found = checkins.mine(circle, me, number)
    form = CheckInForm(obj=found)
    error = None
    if form.validate_on_submit():
        text = checkins.CheckInText(
            form.happened.data or "", form.next_step.data or "", form.need_help.data or ""
        )
        saved = attempt(lambda: checkins.save(circle.id, actor, number, text, now=utcnow()))
        if saved.ok:
            flash(_("Ihr Check-in ist gespeichert."), "success")
            return redirect(url_for("circles.show", circle_id=circle.id))
        error = saved.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    closed = meeting.starts_at <= utcnow()
    return render_template(
        "circles/checkin.html",
        circle=circle,
        meeting=meeting,
        focus=prompts.focus(number),
        form=form,
        error=error,
        closed=closed,
    ), (422 if error else 200)


@bp.route("/<int:circle_id>/ziel", methods=["GET", "POST"])
@login_required
def goal(circle_id: int):
    actor = signed_in_actor()
    data = workspace.load(circle_id, actor)
    form = GoalForm(obj=data.goal)
    error = None
    if form.validate_on_submit():
        saved = attempt(lambda: workspace.save_goal(circle_id, actor, form.text.data, now=utcnow()))
        if saved.ok:
            _goal, long = saved.value
            flash(_("Ihr Ziel ist gespeichert."), "success")
            if long:
                flash(
                    _("Ein Tipp: Ein Ziel mit höchstens 25 Wörtern merkt man sich leichter."),
                    "info",
                )
            return redirect(url_for("circles.workspace", circle_id=circle_id))
        error = saved.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    circle = db.session.get(Circle, circle_id)
    return render_template(
        "circles/goal.html",
        circle=circle,
        form=form,
        error=error,
        questions=prompts.GOAL_QUESTIONS,
        examples=prompts.GOAL_EXAMPLES,
        limit=prompts.GOAL_WORD_HINT,
    ), (422 if error else 200)
