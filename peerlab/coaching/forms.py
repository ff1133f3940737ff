"""Forms of the coaching pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from peerlab.coaching.guidance import PHASE_NAMES
from peerlab.coaching.models import DEFAULT_MINUTES, PHASES
from peerlab.core.forms import web_link

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))
_minutes = [
    InputRequired(message=_l("Bitte geben Sie eine Zahl von 1 bis 120 an.")),
    NumberRange(1, 120, message=_l("Bitte geben Sie eine Zahl von 1 bis 120 an.")),
]


def _checkboxes(label):
    return SelectMultipleField(
        label,
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class MethodForm(FlaskForm):
    """The method: minutes per phase and the settings, adjustable until the start."""

    auto_advance = BooleanField(_l("Nach Ablauf der Zeit automatisch weiter"), default=False)
    case_giver_may_propose = BooleanField(
        _l("Die fallgebende Person darf in den Lösungsideen selbst Karten schreiben"),
        default=False,
    )
    anonymous_allowed = BooleanField(_l("Anonyme Karten erlauben"), default=True)


for _key in PHASES:
    setattr(
        MethodForm,
        f"minutes_{_key}",
        IntegerField(
            _l("%(phase)s (Minuten)", phase=PHASE_NAMES[_key]),
            default=DEFAULT_MINUTES[_key],
            validators=_minutes,
        ),
    )


class SessionForm(MethodForm):
    title = StringField(_l("Titel"), validators=[_required, Length(max=120)])
    day = DateField(_l("Datum"), validators=[_required])
    local_time = TimeField(_l("Uhrzeit"), validators=[_required])
    zone = SelectField(_l("Zeitzone"), default="Europe/Berlin", validators=[_required])
    video_url = StringField(
        _l("Link zum Videoraum"), validators=[Optional(), Length(max=500), web_link]
    )
    case_giver = SelectField(
        _l("Fallgebende Person"), coerce=int, choices=[], validators=[_required]
    )
    moderator = SelectField(_l("Moderation"), coerce=int, choices=[], validators=[_required])
    advisers = _checkboxes(_l("Beratende (3 bis 8)"))
    secretary = SelectField(_l("Protokollführung"), coerce=int, choices=[])
    observers = _checkboxes(_l("Beobachtende (nur lesend)"))
