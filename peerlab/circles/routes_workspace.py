"""The member's private workspace pages (goal, relationship list, contributions log).
Every route goes through service.workspace, which lets in the owning member only."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from peerlab.accounts.actors import Actor, signed_in_actor
from peerlab.circles.forms import ContributionForm, RelationshipForm
from peerlab.circles.models import Circle
from peerlab.circles.routes import bp
from peerlab.circles.service import workspace
from peerlab.core.actions import attempt
from peerlab.core.clock import utcnow
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db


def _page(circle_id: int, relation_form=None, contribution_form=None, error=None, status=200):
    data = workspace.load(circle_id, signed_in_actor())
    return render_template(
        "circles/workspace.html",
        circle=db.session.get(Circle, circle_id),
        data=data,
        relation_form=relation_form or RelationshipForm(formdata=None),
        contribution_form=contribution_form or ContributionForm(formdata=None),
        small_form=EmptyForm(),
        error=error,
    ), status


@bp.get("/<int:circle_id>/arbeitsbereich", endpoint="workspace")
@login_required
def workspace_page(circle_id: int):
    return _page(circle_id)


def _add(
    circle_id: int,
    form_class: type[FlaskForm],
    form_name: str,
    anchor: str,
    store: Callable[[Actor, FlaskForm], object],
):
    """One entry for a list of the workspace: `store(actor, form)` calls the service; a bad
    form or a refusal shows the page again with the message, nothing stored."""
    actor = signed_in_actor()
    workspace.load(circle_id, actor)  # not theirs: 404 before the form is looked at
    form = form_class()
    if not form.validate_on_submit():
        error = _("Bitte prüfen Sie die Eingaben.")
        return _page(circle_id, **{form_name: form}, error=error, status=422)
    added = attempt(lambda: store(actor, form))
    if not added.ok:
        return _page(circle_id, **{form_name: form}, error=added.message, status=422)
    flash(_("Eingetragen."), "success")
    return redirect(url_for("circles.workspace", circle_id=circle_id) + anchor)


@bp.post("/<int:circle_id>/arbeitsbereich/beziehung")
@login_required
def add_relationship(circle_id: int):
    def store(actor, form):
        return workspace.add_relationship(
            circle_id,
            actor,
            name=form.name.data,
            closeness=form.closeness.data,
            note=form.note.data or "",
            now=utcnow(),
        )

    return _add(circle_id, RelationshipForm, "relation_form", "#beziehungen", store)


@bp.post("/<int:circle_id>/arbeitsbereich/beitrag")
@login_required
def add_contribution(circle_id: int):
    def store(actor, form):
        return workspace.add_contribution(
            circle_id,
            actor,
            what=form.what.data,
            to_whom=form.to_whom.data or "",
            on_day=form.on_day.data,
            now=utcnow(),
        )

    return _add(circle_id, ContributionForm, "contribution_form", "#beitraege", store)


@bp.post("/<int:circle_id>/arbeitsbereich/<kind>/<int:entry_id>")
@login_required
def change_entry(circle_id: int, kind: str, entry_id: int):
    actor = signed_in_actor()
    if not EmptyForm().validate_on_submit():
        abort(400)
    action = request.form.get("aktion")
    if action == "teilen":
        workspace.set_shared(circle_id, actor, kind, entry_id, True)
        flash(_("Dieser Eintrag ist jetzt für Ihren Circle sichtbar."), "success")
    elif action == "privat":
        workspace.set_shared(circle_id, actor, kind, entry_id, False)
        flash(_("Dieser Eintrag ist wieder nur für Sie sichtbar."), "success")
    elif action == "loeschen":
        workspace.delete_entry(circle_id, actor, kind, entry_id)
        flash(_("Gelöscht."), "success")
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for("circles.workspace", circle_id=circle_id))
