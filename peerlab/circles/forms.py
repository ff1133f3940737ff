"""Forms of the circle pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from peerlab.core.forms import web_link

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))

WEEKDAYS = (
    SelectChoice(0, _l("Montag")),
    SelectChoice(1, _l("Dienstag")),
    SelectChoice(2, _l("Mittwoch")),
    SelectChoice(3, _l("Donnerstag")),
    SelectChoice(4, _l("Freitag")),
    SelectChoice(5, _l("Samstag")),
    SelectChoice(6, _l("Sonntag")),
)


class CircleForm(FlaskForm):
    name = StringField(_l("Name des Circles"), validators=[_required, Length(max=120)])
    weekday = SelectField(_l("Wochentag"), coerce=int, choices=WEEKDAYS, default=1)
    local_time = TimeField(_l("Uhrzeit"), validators=[_required])
    zone = SelectField(_l("Zeitzone"), default="Europe/Berlin", validators=[_required])
    start_date = DateField(_l("Startdatum"), validators=[_required])
    video_url = StringField(
        _l("Link zum Videoraum"), validators=[Optional(), Length(max=500), web_link]
    )
    language = RadioField(
        _l("Sprache des Circles"),
        choices=[SelectChoice("de", _l("Deutsch")), SelectChoice("en", _l("Englisch"))],
        default="de",
        validators=[_required],
    )
    join = BooleanField(_l("Ich nehme selbst teil (als Moderation)"), default=True)
    invitees = SelectMultipleField(
        _l("Mitglieder einladen"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class CheckInForm(FlaskForm):
    happened = TextAreaField(
        _l("Was ist seit dem letzten Treffen passiert?"), validators=[Optional(), Length(max=2000)]
    )
    next_step = TextAreaField(
        _l("Mein nächster Schritt"), validators=[Optional(), Length(max=2000)]
    )
    need_help = TextAreaField(
        _l("Wobei ich Unterstützung brauche"), validators=[Optional(), Length(max=2000)]
    )


class GoalForm(FlaskForm):
    text = TextAreaField(_l("Mein Ziel"), validators=[_required, Length(max=1000)])


class RelationshipForm(FlaskForm):
    name = StringField(_l("Person oder Organisation"), validators=[_required, Length(max=120)])
    closeness = IntegerField(
        _l("Nähe (0 = kenne ich nicht, 5 = sehr vertraut)"),
        default=0,
        validators=[
            InputRequired(message=_l("Bitte geben Sie eine Zahl von 0 bis 5 an.")),
            NumberRange(0, 5, message=_l("Bitte geben Sie eine Zahl von 0 bis 5 an.")),
        ],
    )
    note = StringField(_l("Notiz"), validators=[Optional(), Length(max=500)])


class ContributionForm(FlaskForm):
    what = StringField(_l("Was habe ich beigetragen?"), validators=[_required, Length(max=300)])
    to_whom = StringField(_l("Für wen?"), validators=[Optional(), Length(max=120)])
    on_day = DateField(_l("Wann?"), validators=[_required])
