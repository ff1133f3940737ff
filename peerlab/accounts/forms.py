"""Account forms (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(), Length(max=256)])


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Email(), Length(max=254)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (buttons that change state)."""


class GuestNameForm(FlaskForm):
    display_name = StringField(_l("Anzeigename"), validators=[DataRequired(), Length(max=60)])
