"""The profile (/konto): personal data, password, e-mail, second factor, export, deletion."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peerlab.accounts import erasure, links, service, sessions, tokens, twofactor
from peerlab.accounts.actors import current_auth_session
from peerlab.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    DeleteForm,
    ProfileForm,
)
from peerlab.accounts.passwords import verify_password
from peerlab.accounts.routes import bp, end_sockets
from peerlab.core.clock import utcnow
from peerlab.core.errors import InvalidInput
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.i18n import zone_choices


def timezone_choices(current: str | None = None) -> dict[str, list[SelectChoice]]:
    """Time zones by name in the reader's language (values stay IANA ids): the common ones
    first, then all others (two option groups)."""
    common, rest = zone_choices(service.valid_timezones(), keep=current)
    return {
        _("Häufig gewählt"): [SelectChoice(key, label) for key, label in common],
        _("Alle Zeitzonen"): [SelectChoice(key, label) for key, label in rest],
    }


@bp.route("/konto", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    form.timezone.choices = timezone_choices(user.timezone)
    if form.validate_on_submit():
        try:
            service.update_profile(
                user,
                name=form.name.data,
                municipality=form.municipality.data or "",
                function=form.function.data or "",
                language=form.language.data,
                timezone=form.timezone.data,
            )
        except InvalidInput as err:
            db.session.rollback()
            flash(err.message, "danger")
            return render_template("accounts/profile.html", form=form), 200
        db.session.commit()
        session["lang"] = user.language
        flash(_("Ihre Angaben sind gespeichert."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/konto/passwort", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.current_password.flags.required = bool(user.password_hash)
    if form.validate_on_submit():
        auth = current_auth_session()
        try:
            revoked = service.change_password(
                user,
                current=form.current_password.data or "",
                new=form.password.data,
                now=utcnow(),
                keep_session_id=auth.id if auth else None,
            )
        except InvalidInput as err:
            db.session.rollback()
            field = form.current_password if err.code == "wrong_password" else form.password
            field.errors = [err.message]
            return render_template("accounts/change_password.html", form=form), 200
        db.session.commit()
        end_sockets(revoked)
        flash(_("Ihr Passwort ist geändert. Alle anderen Anmeldungen wurden beendet."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/konto/email", methods=["GET", "POST"])
@login_required
def change_email():
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    form.password.flags.required = bool(user.password_hash)
    if form.validate_on_submit():
        try:
            links.request_email_change(
                user, form.new_email.data, password=form.password.data or "", now=utcnow()
            )
        except InvalidInput as err:
            db.session.rollback()
            field = form.password if err.code == "wrong_password" else form.new_email
            field.errors = [err.message]
            return render_template("accounts/change_email.html", form=form), 200
        db.session.commit()
        return redirect(url_for("accounts.check_mail", art="email"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/konto/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Opened from the mail to the new address: GET shows a button, POST confirms."""
    now = utcnow()
    form = EmptyForm()
    if form.validate_on_submit():
        user = links.confirm_email_change(token, now=now)
        db.session.commit()
        flash(_("Ihre neue E-Mail-Adresse %(email)s ist bestätigt.", email=user.email), "success")
        if current_user.is_authenticated:
            return redirect(url_for("accounts.profile"))
        return redirect(url_for("accounts.login"))
    found = tokens.peek(token, tokens.EMAIL_CHANGE, now=now)
    if found is None:
        raise tokens.LinkInvalid()
    return render_template("accounts/confirm_email.html", form=form, new_email=found.new_email)


@bp.route("/konto/zweiter-faktor", methods=["GET"])
@login_required
def two_factor():
    return render_template("accounts/two_factor.html", form=CodeForm())


@bp.post("/konto/zweiter-faktor/aus")
@login_required
def two_factor_off():
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            twofactor.disable(user, form.code.data, now=utcnow())
        except InvalidInput as err:
            db.session.rollback()
            form.code.errors = [err.message]
            return render_template("accounts/two_factor.html", form=form), 200
        db.session.commit()
        session.pop(sessions.SECOND_FACTOR_KEY, None)
        flash(_("Der zweite Faktor ist ausgeschaltet."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/two_factor.html", form=form), 200


@bp.get("/konto/export")
@login_required
def export():
    now = utcnow()
    data = erasure.export_data(current_user._get_current_object(), now=now)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="peerlab-daten-{now:%Y-%m-%d}.json"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/konto/loeschen", methods=["GET", "POST"])
@login_required
def delete_account():
    user = current_user._get_current_object()
    form = DeleteForm()
    form.password.flags.required = bool(user.password_hash)
    form.confirm_email.flags.required = not user.password_hash
    if form.validate_on_submit():
        if user.password_hash:
            confirmed = verify_password(user.password_hash, form.password.data or "")
            field = form.password
        else:
            confirmed = (form.confirm_email.data or "").strip().lower() == user.email.lower()
            field = form.confirm_email
        if not confirmed:
            field.errors = [_("Die Bestätigung stimmt nicht. Es wurde nichts gelöscht.")]
            return render_template("accounts/delete.html", form=form), 200
        revoked = erasure.delete_account(
            user, keep_content=not form.delete_content.data, now=utcnow()
        )
        db.session.commit()
        end_sockets(revoked)
        sessions.close_cookie()
        flash(_("Ihr Konto ist gelöscht."), "success")
        return redirect(url_for("pages.home"))
    return render_template("accounts/delete.html", form=form)
