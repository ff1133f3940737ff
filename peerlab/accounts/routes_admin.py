"""Inviting people, the list of people (role change, removal) and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peerlab.accounts import admin, invitations
from peerlab.accounts.forms import InviteForm, RemoveForm, RoleForm
from peerlab.accounts.routes import bp, end_sockets
from peerlab.core import due
from peerlab.core.clock import utcnow
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db

ROLE_LABELS = {
    "admin": _l("Administration"),
    "organizer": _l("Organisation"),
    "member": _l("Teilnahme"),  # one person's role: not the plural "Teilnehmende"
}


def role_choices(roles) -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_LABELS[role])) for role in roles]


def _viewer():
    user = current_user._get_current_object()
    if not admin.may_see_people(user):
        raise Forbidden()
    return user


def _admin():
    user = current_user._get_current_object()
    if not admin.is_admin(user):
        raise Forbidden()
    return user


@bp.route("/verwaltung/einladen", methods=["GET", "POST"])
@login_required
def invite():
    inviter = _viewer()
    form = InviteForm()
    form.role.choices = role_choices(invitations.roles_for(inviter))
    report = None
    if form.validate_on_submit():
        try:
            report = invitations.invite_many(
                inviter, form.emails.data, role=form.role.data, now=utcnow()
            )
        except InvalidInput as err:
            db.session.rollback()
            form.emails.errors = [err.message]
            return render_template("accounts/invite.html", form=form, report=None), 200
        db.session.commit()
        if not report.invalid:
            form.emails.data = ""
        else:
            form.emails.data = "\n".join(report.invalid)
    return render_template("accounts/invite.html", form=form, report=report)


@bp.get("/verwaltung/personen")
@login_required
def people():
    viewer = _viewer()
    users = admin.people_for(viewer)
    role_forms = {}
    if admin.is_admin(viewer):
        for user in users:
            form = RoleForm(prefix=f"u{user.id}", data={"role": user.role})
            form.role.choices = role_choices(("admin", "organizer", "member"))
            role_forms[user.id] = form
    return render_template(
        "accounts/people.html",
        users=users,
        role_forms=role_forms,
        role_labels=ROLE_LABELS,
        is_admin=admin.is_admin(viewer),
        failed_jobs=due.count_failed() if admin.is_admin(viewer) else 0,
    )


@bp.post("/verwaltung/personen/<int:user_id>/rolle")
@login_required
def change_role(user_id: int):
    actor = _admin()
    target = admin.get_person(user_id)
    form = RoleForm(prefix=f"u{user_id}")
    form.role.choices = role_choices(("admin", "organizer", "member"))
    if not form.validate_on_submit():
        raise InvalidInput(_("Bitte wählen Sie eine gültige Rolle."))
    ended = admin.change_role(actor, target, form.role.data, now=utcnow())
    db.session.commit()
    end_sockets(ended)
    flash(
        _(
            "Die Rolle von %(name)s ist jetzt: %(role)s.",
            name=target.display_name,
            role=ROLE_LABELS[target.role],
        ),
        "success",
    )
    return redirect(url_for("accounts.people"))


@bp.post("/verwaltung/personen/<int:user_id>/zweiter-faktor")
@login_required
def reset_second_factor(user_id: int):
    actor = _admin()
    target = admin.get_person(user_id)
    ended = admin.reset_second_factor(actor, target, now=utcnow())
    db.session.commit()
    end_sockets(ended)
    flash(
        _(
            "Der zweite Faktor von %(name)s ist zurückgesetzt. Alle Anmeldungen der Person sind "
            "beendet.",
            name=target.display_name,
        ),
        "success",
    )
    return redirect(url_for("accounts.people"))


@bp.route("/verwaltung/personen/<int:user_id>/entfernen", methods=["GET", "POST"])
@login_required
def remove_person(user_id: int):
    actor = _admin()
    target = admin.get_person(user_id)
    form = RemoveForm()
    if form.validate_on_submit():
        name = target.display_name
        ended = admin.remove(actor, target, keep_content=not form.delete_content.data, now=utcnow())
        db.session.commit()
        end_sockets(ended)
        flash(_("Das Konto von %(name)s ist entfernt.", name=name), "success")
        return redirect(url_for("accounts.people"))
    return render_template("accounts/remove_person.html", form=form, target=target)


@bp.get("/verwaltung/protokoll")
@login_required
def audit_log():
    viewer = _admin()
    entries = admin.audit_entries(viewer)
    return render_template(
        "accounts/audit_log.html", entries=entries, actor_names=admin.actor_names(entries)
    )
