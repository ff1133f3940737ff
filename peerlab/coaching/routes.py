"""Coaching pages: list, set up, the session page (live board or overview), the method before
the start, and the case giver's own keeps. Thin: access and services decide."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from peerlab.accounts.actors import signed_in_actor
from peerlab.accounts.models import User
from peerlab.accounts.routes_profile import timezone_choices
from peerlab.coaching import access, grouped, guidance, payloads
from peerlab.coaching.forms import MethodForm, SessionForm
from peerlab.coaching.models import PHASES, CoachingKeep, CoachingSession
from peerlab.coaching.service import ending, setup
from peerlab.core.actions import attempt
from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, NotFound
from peerlab.extensions import db

bp = Blueprint("coaching", __name__, url_prefix="/beratung")


def _found(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


@bp.get("/")
@login_required
def index():
    actor = signed_in_actor()
    sessions = db.session.scalars(
        select(CoachingSession)
        .where(access.overview_condition(actor))
        .order_by(CoachingSession.starts_at)
    ).all()
    return render_template(
        "coaching/list.html",
        sessions=sessions,
        keeps=ending.keeps_of(actor.id),
        may_create=current_user.role in access.CREATORS,
    )


def _minutes(form: MethodForm) -> dict[str, int]:
    return {key: getattr(form, f"minutes_{key}").data for key in PHASES}


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def create():
    if current_user.role not in access.CREATORS:
        abort(404)
    people = db.session.scalars(
        select(User).where(User.status == "active").order_by(User.name)
    ).all()
    choices = [
        SelectChoice(u.id, u.display_name + (f" ({u.municipality})" if u.municipality else ""))
        for u in people
    ]
    return _set_up(choices, group=None)


@bp.route("/gruppe/<int:group_id>/neu", methods=["GET", "POST"])
@login_required
def create_in_group(group_id: int):
    """Any active member of a confidential group: the cast among its members, by identity."""
    from peerlab.groups import access as group_access

    group, _row = _found(group_access.require_member, group_id, signed_in_actor())
    choices = [SelectChoice(uid, name) for uid, name in grouped.cast_choices(group)]
    return _set_up(choices, group=group)


def _set_up(choices: list[SelectChoice], *, group):
    form = SessionForm()
    form.zone.choices = timezone_choices(form.zone.data or "Europe/Berlin")
    pick = [SelectChoice(0, _("Bitte wählen"))]
    form.case_giver.choices = pick + choices
    form.moderator.choices = pick + choices
    form.secretary.choices = [SelectChoice(0, _("Niemand")), *choices]
    form.advisers.choices = choices
    form.observers.choices = choices
    error = None
    if form.validate_on_submit():
        local = datetime.combine(form.day.data, form.local_time.data, ZoneInfo(form.zone.data))
        settings = setup.SessionSetup(
            title=form.title.data or "",
            starts_at=local,
            zone=form.zone.data,
            video_url=form.video_url.data or "",
            case_giver=form.case_giver.data,
            moderator=form.moderator.data,
            advisers=tuple(form.advisers.data or ()),
            secretary=form.secretary.data or None,
            observers=tuple(form.observers.data or ()),
            minutes=_minutes(form),
            auto_advance=bool(form.auto_advance.data),
            case_giver_may_propose=bool(form.case_giver_may_propose.data),
            anonymous_allowed=bool(form.anonymous_allowed.data),
            group_id=group.id if group is not None else None,
        )

        def create_session() -> CoachingSession:
            if not settings.case_giver or not settings.moderator:
                raise DomainError(_("Bitte wählen Sie die fallgebende Person und die Moderation."))
            return setup.create_session(settings, creator=current_user, now=utcnow())

        made = _found(lambda: attempt(create_session, passes=(NotFound,)))
        if made.ok:
            flash(
                _("Die Beratung ist angelegt; alle Beteiligten haben eine Kalendereinladung."),
                "success",
            )
            return redirect(url_for("coaching.show", session_id=made.value.id))
        error = made.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    no_anonymous = group is not None and not group.allow_anonymous
    return render_template(
        "coaching/form.html", form=form, error=error, group=group, no_anonymous=no_anonymous
    ), (422 if error else 200)


@bp.get("/<int:session_id>")
@login_required
def show(session_id: int):
    actor = signed_in_actor()
    session = _found(access.require_overview, session_id, actor)
    rows = setup.members(session)
    names = payloads.identities(session, rows)
    members = [(r, names[r.id]) for r in rows]
    context = {
        "session": session,
        "members": members,
        "phases": setup.phases(session),
        "planned_end": setup.planned_end(session),
        "may_set_up": access.may_set_up(session, actor),
        "words": guidance,
    }
    if not access.may_see_content(session, actor):
        return render_template("coaching/overview.html", **context)
    me = access.membership(session, actor)
    return render_template(
        "coaching/board.html",
        me=me,
        strings=guidance.strings(),
        zone=session.zone,
        **context,
    )


@bp.route("/<int:session_id>/ablauf", methods=["GET", "POST"])
@login_required
def method(session_id: int):
    actor = signed_in_actor()
    session = _found(access.require_setup, session_id, actor)
    form = MethodForm(obj=session)
    if request.method == "GET":
        for phase in setup.phases(session):
            getattr(form, f"minutes_{phase.key}").data = phase.minutes
    error = None
    if form.validate_on_submit():
        saved = attempt(
            lambda: setup.update_method(
                session,
                _minutes(form),
                auto_advance=bool(form.auto_advance.data),
                case_giver_may_propose=bool(form.case_giver_may_propose.data),
                anonymous_allowed=bool(form.anonymous_allowed.data),
            )
        )
        if saved.ok:
            flash(_("Der Ablauf ist gespeichert."), "success")
            return redirect(url_for("coaching.show", session_id=session.id))
        error = saved.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(
        "coaching/method.html",
        form=form,
        session=session,
        error=error,
        no_anonymous=not grouped.allows_anonymous(session),
    ), (422 if error else 200)


def _keep(keep_id: int) -> CoachingKeep:
    keep = db.session.get(CoachingKeep, keep_id)
    if keep is None or keep.user_id != signed_in_actor().id:
        abort(404)
    return keep


@bp.get("/mitgenommen/<int:keep_id>")
@login_required
def keep(keep_id: int):
    item = _keep(keep_id)
    return render_template(
        "coaching/keep.html", keep=item, cards=json.loads(item.cards or "[]"), words=guidance
    )


@bp.get("/mitgenommen/<int:keep_id>.md")
@login_required
def keep_markdown(keep_id: int):
    item = _keep(keep_id)
    body = render_template(
        "coaching/keep.md", keep=item, cards=json.loads(item.cards or "[]"), words=guidance
    )
    return Response(
        body,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'attachment; filename="beratung.md"'},
    )
