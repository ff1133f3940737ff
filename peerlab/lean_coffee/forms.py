"""Forms of Lean Coffee pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from peerlab.core.forms import web_link

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))


def _range(low: int, high: int):
    return NumberRange(
        low, high, message=_l("Bitte geben Sie eine Zahl von %(min)s bis %(max)s an.")
    )


def _plausible_day(form, field) -> None:
    if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError(_l("Bitte wählen Sie ein Datum zwischen 2000 und 2100."))


class RoundForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[_required, Length(max=160)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=2000)])
    day = DateField(_l("Datum"), validators=[_required, _plausible_day])
    start_time = TimeField(_l("Beginn (Uhrzeit in Deutschland)"), validators=[_required])
    planned_minutes = IntegerField(
        _l("Geplante Dauer in Minuten"), default=60, validators=[_required, _range(10, 480)]
    )
    video_url = StringField(
        _l("Link zum Videoraum"),
        validators=[Optional(), Length(max=500), web_link],
    )
    vote_budget = IntegerField(
        _l("Punkte pro Person"), default=3, validators=[_required, _range(1, 10)]
    )
    multiple_dots = BooleanField(_l("Mehrere Punkte auf ein Thema erlaubt"), default=True)
    timebox_minutes = IntegerField(
        _l("Zeit pro Thema in Minuten"), default=8, validators=[_required, _range(1, 60)]
    )
    extension_percent = IntegerField(
        _l("Verlängerung in Prozent der vorigen Zeit"),
        default=50,
        validators=[_required, _range(10, 100)],
    )
    min_extension_minutes = IntegerField(
        _l("Kürzeste Verlängerung in Minuten"), default=1, validators=[_required, _range(1, 60)]
    )
    anonymous_allowed = BooleanField(_l("Anonyme Themen erlaubt"), default=True)
    access = RadioField(
        _l("Wer darf teilnehmen?"),
        default="invited",
        choices=[
            ("invited", _l("Nur eingeladene Personen")),
            ("link", _l("Zusätzlich alle mit dem Link (auch als Gast ohne Konto)")),
        ],
        validators=[_required],
    )
    invitees = SelectMultipleField(
        _l("Einladen"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class GuestJoinForm(FlaskForm):
    display_name = StringField(
        _l("Ihr Name für diese Runde"), validators=[_required, Length(max=60)]
    )
