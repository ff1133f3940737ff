"""Group meetings as Lean Coffee: scheduling one from the group page, and opening one.
Thin: the group's access first (non-members get 404), then groups.rounds; the board, summary
and everything live are Lean Coffee's own pages, behind the group rule it registered."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, NotFound
from peerlab.extensions import db
from peerlab.groups import access, rounds
from peerlab.groups.routes import _actor, bp
from peerlab.lean_coffee.forms import RoundForm
from peerlab.lean_coffee.routes import settings_from

BERLIN = ZoneInfo("Europe/Berlin")


def _form(group) -> RoundForm:
    """Lean Coffee's round form without whom to invite (every member) and without a link."""
    form = RoundForm()
    del form.invitees
    del form.access
    if request.method == "GET":
        form.title.data = _("Gruppentreffen")
        form.day.data = (utcnow().astimezone(BERLIN) + timedelta(days=7)).date()
        form.anonymous_allowed.data = bool(group.allow_anonymous)
    return form


@bp.route("/<int:group_id>/runden/neu", methods=["GET", "POST"])
@login_required
def schedule_round(group_id: int):
    group, me = access.require_member(group_id, _actor())
    if not rounds.may_schedule(group, me):
        raise NotFound()
    form = _form(group)
    error = None
    if form.validate_on_submit():
        try:
            rnd = rounds.schedule(
                group, me, settings_from(form), creator=current_user, now=utcnow()
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(
                _(
                    "Das Gruppentreffen ist geplant. Alle Mitglieder erhalten einen vertraulichen "
                    "Kalendertermin, der die Gruppe nicht nennt."
                ),
                "success",
            )
            return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(
        "lean_coffee/form.html", form=form, rnd=None, source=None, group=group, error=error
    ), (422 if error else 200)


@bp.get("/<int:group_id>/runden/<int:round_id>")
@login_required
def open_round(group_id: int, round_id: int):
    """A member opens a round of the group (the board, or with ?ziel=zusammenfassung its
    summary); one who joined the group after it was scheduled gets a place first."""
    group, _me = access.require_member(group_id, _actor())
    rnd = rounds.round_of(group, round_id)
    rounds.enter(rnd, current_user, now=utcnow())
    db.session.commit()
    if request.args.get("ziel") == "zusammenfassung":
        return redirect(url_for("lean_coffee.summary", round_id=rnd.id))
    return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
