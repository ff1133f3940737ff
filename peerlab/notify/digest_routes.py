"""The digest setting on the profile page (/konto#digest): on or off, and the hour."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import InputRequired

from peerlab.core.clock import utcnow
from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.notify import digest

bp = Blueprint("digest", __name__)


class DigestForm(FlaskForm):
    enabled = BooleanField(_l("Tägliche E-Mail „Neues in peerlab“ erhalten"))
    hour = SelectField(
        _l("Uhrzeit"),
        choices=[SelectChoice(str(h), f"{h:02d}:00") for h in digest.HOURS],
        validators=[InputRequired(message=digest.HOUR_MESSAGE)],
        validate_choice=False,  # checked by digest.parse_hour, with the same message
    )


def form_for(user) -> DigestForm:
    """The form as the profile page shows it (a template global)."""
    enabled, hour = digest.view_of(user.id)
    form = DigestForm(formdata=None, enabled=enabled, hour=str(hour))
    return form


def _back():
    return redirect(url_for("accounts.profile") + "#digest", code=303)


@bp.post("/konto/neuigkeiten")
@login_required
def save():
    form = DigestForm()
    if not form.validate_on_submit():
        if form.hour.errors and not form.csrf_token.errors:
            flash(str(digest.HOUR_MESSAGE), "danger")
            return _back()
        flash(
            _("Die Einstellung wurde nicht gespeichert. Bitte laden Sie die Seite neu."), "danger"
        )
        return _back()
    try:
        hour = digest.parse_hour(form.hour.data)
        digest.change(current_user, enabled=form.enabled.data, hour=hour, now=utcnow())
    except InvalidInput as err:
        db.session.rollback()
        flash(err.message, "danger")
        return _back()
    db.session.commit()
    if form.enabled.data:
        at = f"{hour:02d}:00"
        flash(
            _(
                "Sie erhalten „Neues in peerlab“ täglich um %(hour)s Uhr, wenn es Neues gibt.",
                hour=at,
            ),
            "success",
        )
    else:
        flash(_("Die tägliche E-Mail „Neues in peerlab“ ist ausgeschaltet."), "success")
    return _back()
