"""Account forms (Flask-WTF: CSRF on every form). Field ids stay stable for browser tests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from peerlab.accounts.passwords import MAX_LENGTH, MIN_LENGTH

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))
_email = Email(message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."))


def _new_password(label):
    return PasswordField(
        label,
        validators=[
            _required,
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_LENGTH),
            ),
        ],
    )


def _repeat(field_name: str):
    return PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            _required,
            EqualTo(field_name, message=_l("Die Passwörter stimmen nicht überein.")),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[_required, _email, Length(max=254)])
    password = PasswordField(_l("Passwort"), validators=[_required, Length(max=MAX_LENGTH)])


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[_required, _email, Length(max=254)])


class GuestNameForm(FlaskForm):
    display_name = StringField(_l("Anzeigename"), validators=[DataRequired(), Length(max=60)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Sechsstelliger Code aus Ihrer App"), validators=[_required, Length(max=12)]
    )


class NewPasswordForm(FlaskForm):
    password = _new_password(_l("Neues Passwort"))
    password_repeat = _repeat("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Bisheriges Passwort"), validators=[Optional(), Length(max=MAX_LENGTH)]
    )
    password = _new_password(_l("Neues Passwort"))
    password_repeat = _repeat("password")


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(
        _l("Neue E-Mail-Adresse"), validators=[_required, _email, Length(max=254)]
    )
    password = PasswordField(
        _l("Passwort zur Bestätigung"), validators=[Optional(), Length(max=MAX_LENGTH)]
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=120)])
    municipality = StringField(
        _l("Kommune oder Organisation"), validators=[Optional(), Length(max=120)]
    )
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=120)])
    language = SelectField(
        _l("Sprache"),
        choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")],
        validators=[_required],
    )
    timezone = SelectField(_l("Zeitzone"), choices=[], validators=[_required])


class InvitationForm(FlaskForm):
    """Accepting an invitation: who you are and a password."""

    name = StringField(_l("Name"), validators=[_required, Length(max=120)])
    municipality = StringField(
        _l("Kommune oder Organisation"), validators=[Optional(), Length(max=120)]
    )
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=120)])
    password = _new_password(_l("Passwort"))
    password_repeat = PasswordField(
        _l("Passwort wiederholen"),
        validators=[
            _required,
            EqualTo("password", message=_l("Die Passwörter stimmen nicht überein.")),
        ],
    )


class InviteForm(FlaskForm):
    emails = TextAreaField(_l("E-Mail-Adressen"), validators=[_required, Length(max=40000)])
    role = SelectField(_l("Rolle"), choices=[], validators=[_required])


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=[], validators=[_required])


class DeleteForm(FlaskForm):
    delete_content = BooleanField(_l("Auch meine Beiträge in gemeinsamen Räumen löschen"))
    password = PasswordField(
        _l("Passwort zur Bestätigung"), validators=[Optional(), Length(max=MAX_LENGTH)]
    )
    confirm_email = StringField(
        _l("Zur Bestätigung Ihre E-Mail-Adresse"), validators=[Optional(), Length(max=254)]
    )


class RemoveForm(FlaskForm):
    delete_content = BooleanField(_l("Auch die Beiträge dieser Person löschen"))
