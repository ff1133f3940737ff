"""Pages for the circle's dates (skip, move, "Ich kann diese Woche nicht", reminders),
members (leave, remove, replace) and the end (reflection, renew). Thin: services decide."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms import SelectChoice

from peerlab.accounts.actors import signed_in_actor
from peerlab.accounts.models import User
from peerlab.circles import access, schedule
from peerlab.circles.forms_schedule import (
    AddressForm,
    InviteForm,
    LeaveForm,
    MoveForm,
    ReflectionForm,
    SkipForm,
)
from peerlab.circles.models import Circle
from peerlab.circles.routes import bp
from peerlab.circles.service import circles as service
from peerlab.circles.service import closing, lifecycle, quorum, reminders
from peerlab.circles.service import schedule_changes as changes
from peerlab.core.actions import Next, attempt, run_or_flash
from peerlab.core.clock import utcnow
from peerlab.core.errors import Conflict, Forbidden, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db


@bp.app_template_global("circle_closing_open")
def closing_open(circle) -> bool:
    return closing.last_started(circle, utcnow())


@bp.app_template_global("circle_next_quorum")
def next_quorum(circle):
    """The next date that has not started and its quorum status, or None."""
    now = utcnow()
    meeting = next((m for m in schedule.of(circle) if m.starts_at > now), None)
    if meeting is None or circle.ended_at is not None:
        return None
    return meeting, quorum.status(circle, meeting)


@bp.app_template_global("circle_former_ids")
def former_ids(circle) -> set[int]:
    return lifecycle.former_ids(circle)


def _done(message: str, circle_id: int, endpoint: str = "circles.dates"):
    """After a committed change: say so and go to the circle's page `endpoint`."""
    flash(message, "success")
    return redirect(url_for(endpoint, circle_id=circle_id))


@bp.get("/<int:circle_id>/termine")
@login_required
def dates(circle_id: int):
    actor = signed_in_actor()
    now = utcnow()
    circle, me = access.require_member(circle_id, actor)
    upcoming = [m for m in schedule.of(circle) if m.starts_at > now]
    return render_template(
        "circles/dates.html",
        circle=circle,
        me=me,
        upcoming=upcoming,
        total=len(schedule.of(circle)),
        status=quorum.statuses(circle, upcoming),
        may_change=me.role == "facilitator",
        reminders_on=reminders.wants_reminders(me),
        zone=ZoneInfo(circle.zone),
    )


def _meeting_page(template: str, circle_id: int, slot: int, form, action):
    actor = signed_in_actor()
    circle, _me = changes.require_facilitator(circle_id, actor)
    try:
        meeting = changes.changeable(circle, slot, utcnow())
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("circles.dates", circle_id=circle_id))
    error = None
    if form.validate_on_submit():
        done = attempt(lambda: action(actor, form))
        if done.ok:
            return _done(done.value, circle_id)
        error = done.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(template, circle=circle, meeting=meeting, form=form, error=error), (
        422 if error else 200
    )


@bp.route("/<int:circle_id>/termine/<int:slot>/ausfallen", methods=["GET", "POST"])
@login_required
def skip(circle_id: int, slot: int):
    def action(actor, form):
        append = form.mode.data == "anhaengen"
        changes.skip(circle_id, actor, slot, append=append, now=utcnow())
        if append:
            return _("Das Treffen fällt aus; ein Termin ist am Ende angehängt.")
        return _("Das Treffen fällt aus.")

    return _meeting_page("circles/skip.html", circle_id, slot, SkipForm(), action)


@bp.route("/<int:circle_id>/termine/<int:slot>/verschieben", methods=["GET", "POST"])
@login_required
def move(circle_id: int, slot: int):
    def action(actor, form):
        changes.move(circle_id, actor, slot, form.day.data, form.at.data, now=utcnow())
        return _("Das Treffen ist verschoben; alle bekommen die geänderte Serie.")

    form = MoveForm()
    circle = db.session.get(Circle, circle_id)
    meeting = schedule.by_slot(circle, slot) if circle is not None else None
    if request.method == "GET" and meeting is not None:  # shown only after the access check
        local = meeting.starts_at.astimezone(ZoneInfo(circle.zone))
        form.day.data, form.at.data = local.date(), local.time()
    return _meeting_page("circles/move.html", circle_id, slot, form, action)


@bp.post("/<int:circle_id>/termine/<int:slot>/kann-nicht")
@login_required
def cannot(circle_id: int, slot: int):
    actor = signed_in_actor()
    value = request.form.get("kann_nicht")
    if not EmptyForm().validate_on_submit() or value not in ("1", "0"):
        abort(400)
    back = "circles.show" if request.form.get("zurueck") == "circle" else "circles.dates"

    def mark() -> Next:
        quorum.mark(circle_id, actor, slot, cannot=value == "1", now=utcnow())
        said = (
            _("Vermerkt: Sie können an diesem Termin nicht.")
            if value == "1"
            else _("Vermerkt: Sie sind an diesem Termin dabei.")
        )
        return Next(url_for(back, circle_id=circle_id), said)

    return run_or_flash(
        mark, back=url_for("circles.dates", circle_id=circle_id), passes=(NotFound,)
    )


@bp.post("/<int:circle_id>/erinnerungen")
@login_required
def reminder_switch(circle_id: int):
    actor = signed_in_actor()
    value = request.form.get("an")
    if not EmptyForm().validate_on_submit() or value not in ("1", "0"):
        abort(400)
    reminders.set_reminders(circle_id, actor, value == "1", now=utcnow())
    db.session.commit()
    if value == "1":
        return _done(_("Die Erinnerungen sind eingeschaltet."), circle_id)
    return _done(_("Die Erinnerungen sind ausgeschaltet."), circle_id)


@bp.route("/<int:circle_id>/verlassen", methods=["GET", "POST"])
@login_required
def leave(circle_id: int):
    actor = signed_in_actor()
    circle, _me = access.require_member(circle_id, actor)
    form = LeaveForm()
    error = None
    if form.validate_on_submit():
        keep = form.checkins.data == "behalten"
        lifecycle.leave(circle_id, actor, keep_checkins=keep, now=utcnow())
        db.session.commit()
        flash(_("Sie haben den Circle verlassen."), "info")
        return redirect(url_for("circles.index"))
    if request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template("circles/leave.html", circle=circle, form=form, error=error), (
        422 if error else 200
    )


@bp.route("/<int:circle_id>/mitglieder", methods=["GET", "POST"])
@login_required
def manage_members(circle_id: int):
    return _members_page(circle_id, InviteForm(), AddressForm(formdata=None))


@bp.post("/<int:circle_id>/mitglieder/adresse")
@login_required
def invite_address(circle_id: int):
    return _members_page(circle_id, InviteForm(formdata=None), AddressForm())


def _members_page(circle_id: int, form, address_form):
    actor = signed_in_actor()
    circle, me = changes.require_facilitator(circle_id, actor)
    taken = {u.id for _r, u in service.members(circle)}
    people = db.session.scalars(
        select(User).where(User.status == "active").order_by(User.name)
    ).all()
    form.person.choices = [SelectChoice(0, _("Bitte wählen"))] + [
        SelectChoice(u.id, u.display_name + (f" ({u.municipality})" if u.municipality else ""))
        for u in people
        if u.id not in taken
    ]
    error = None
    may_add_address = actor.user.role in access.CREATORS
    by_address = request.endpoint == "circles.invite_address"
    if by_address and not may_add_address:
        abort(403)
    active = address_form if by_address else form
    if request.method == "POST" and active.validate_on_submit():

        def invite() -> User:
            if by_address:
                return lifecycle.invite_address(
                    circle_id, actor, address_form.email.data or "", now=utcnow()
                )
            return lifecycle.invite_replacement(circle_id, actor, form.person.data, now=utcnow())

        invited = attempt(invite)
        if invited.ok:
            return _done(
                _("%(name)s ist eingeladen.", name=invited.value.display_name),
                circle_id,
                "circles.manage_members",
            )
        error = invited.message
    elif request.method == "POST":
        error = (
            _("Bitte geben Sie eine E-Mail-Adresse an.")
            if by_address
            else _("Bitte wählen Sie eine Person aus der Liste.")
        )
    return render_template(
        "circles/members.html",
        circle=circle,
        me=me,
        members=service.members(circle),
        form=form,
        address_form=address_form if may_add_address else None,
        error=error,
    ), (422 if error else 200)


@bp.post("/<int:circle_id>/mitglieder/<int:membership_id>/entfernen")
@login_required
def remove_member(circle_id: int, membership_id: int):
    actor = signed_in_actor()
    if not EmptyForm().validate_on_submit():
        abort(400)
    members_page = url_for("circles.manage_members", circle_id=circle_id)

    def remove() -> Next:
        user = lifecycle.remove(circle_id, actor, membership_id, now=utcnow())
        return Next(
            members_page, _("%(name)s gehört nicht mehr zum Circle.", name=user.display_name)
        )

    return run_or_flash(remove, back=members_page, passes=(NotFound, Forbidden))


@bp.route("/<int:circle_id>/abschluss", methods=["GET", "POST"])
@login_required
def closing_page(circle_id: int):
    actor = signed_in_actor()
    now = utcnow()
    circle, me = access.require_member(circle_id, actor)
    written = closing.reflections(circle, actor)
    mine = next((r for r, _u in written if r.membership_id == me.id), None)
    form = ReflectionForm(obj=mine)
    error = None
    if form.validate_on_submit():
        saved = attempt(
            lambda: closing.save_reflection(circle_id, actor, form.text.data or "", now=now)
        )
        if saved.ok:
            return _done(_("Ihr Rückblick ist gespeichert."), circle_id, "circles.closing_page")
        error = saved.message
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(
        "circles/closing.html",
        circle=circle,
        form=form,
        error=error,
        open=closing.last_started(circle, now),
        reflections=closing.reflections(circle, actor),
        successor=closing.successor(circle),
        renew_form=EmptyForm(),
    ), (422 if error else 200)


@bp.post("/<int:circle_id>/erneuern")
@login_required
def renew(circle_id: int):
    actor = signed_in_actor()
    if not EmptyForm().validate_on_submit():
        abort(400)

    def renew_circle() -> Next:
        new = closing.renew(circle_id, actor, now=utcnow())
        return Next(
            url_for("circles.show", circle_id=new.id),
            _("Der neue Circle ist angelegt; die anderen Mitglieder sind eingeladen."),
        )

    return run_or_flash(renew_circle, back=url_for("circles.closing_page", circle_id=circle_id))
