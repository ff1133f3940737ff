"""The member's private workspace pages (goal, relationship list, contributions log).
Every route goes through service.workspace, which lets in the owning member only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from peerlab.circles.forms import ContributionForm, RelationshipForm
from peerlab.circles.models import Circle
from peerlab.circles.routes import _actor, bp
from peerlab.circles.service import workspace
from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db


def _page(circle_id: int, relation_form=None, contribution_form=None, error=None, status=200):
    data = workspace.load(circle_id, _actor())
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


@bp.post("/<int:circle_id>/arbeitsbereich/beziehung")
@login_required
def add_relationship(circle_id: int):
    actor = _actor()
    workspace.load(circle_id, actor)  # not theirs: 404 before the form is looked at
    form = RelationshipForm()
    if not form.validate_on_submit():
        return _page(
            circle_id, relation_form=form, error=_("Bitte prüfen Sie die Eingaben."), status=422
        )
    try:
        workspace.add_relationship(
            circle_id,
            actor,
            name=form.name.data,
            closeness=form.closeness.data,
            note=form.note.data or "",
            now=utcnow(),
        )
    except DomainError as exc:
        db.session.rollback()
        return _page(circle_id, relation_form=form, error=exc.message, status=422)
    db.session.commit()
    flash(_("Eingetragen."), "success")
    return redirect(url_for("circles.workspace", circle_id=circle_id) + "#beziehungen")


@bp.post("/<int:circle_id>/arbeitsbereich/beitrag")
@login_required
def add_contribution(circle_id: int):
    actor = _actor()
    workspace.load(circle_id, actor)
    form = ContributionForm()
    if not form.validate_on_submit():
        return _page(
            circle_id, contribution_form=form, error=_("Bitte prüfen Sie die Eingaben."), status=422
        )
    try:
        workspace.add_contribution(
            circle_id,
            actor,
            what=form.what.data,
            to_whom=form.to_whom.data or "",
            on_day=form.on_day.data,
            now=utcnow(),
        )
    except DomainError as exc:
        db.session.rollback()
        return _page(circle_id, contribution_form=form, error=exc.message, status=422)
    db.session.commit()
    flash(_("Eingetragen."), "success")
    return redirect(url_for("circles.workspace", circle_id=circle_id) + "#beitraege")


@bp.post("/<int:circle_id>/arbeitsbereich/<kind>/<int:entry_id>")
@login_required
def change_entry(circle_id: int, kind: str, entry_id: int):
    actor = _actor()
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
