"""Forms of the scheduling, leaving and closing pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))
_pick = DataRequired(message=_l("Bitte wählen Sie eine der Möglichkeiten."))


class SkipForm(FlaskForm):
    mode = RadioField(
        _l("Was soll mit dem Treffen geschehen?"),
        choices=[
            SelectChoice("anhaengen", _l("An das Ende anhängen: ein Termin mehr nach dem letzten")),
            SelectChoice("ausfallen", _l("Nur ausfallen lassen: ein Treffen weniger")),
        ],
        default="anhaengen",
        validators=[_pick],
    )


class MoveForm(FlaskForm):
    day = DateField(_l("Neuer Tag"), validators=[_required])
    at = TimeField(_l("Neue Uhrzeit"), validators=[_required])


class LeaveForm(FlaskForm):
    checkins = RadioField(
        _l("Was geschieht mit Ihren Check-ins?"),
        choices=[
            SelectChoice("behalten", _l("Unter meinem Namen für den Circle behalten")),
            SelectChoice("loeschen", _l("Löschen")),
        ],
        default="behalten",
        validators=[_pick],
    )


class InviteForm(FlaskForm):
    person = SelectField(_l("Neues Mitglied"), coerce=int, choices=[], validators=[_pick])


class AddressForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[_required, Length(max=254)])


class ReflectionForm(FlaskForm):
    text = TextAreaField(
        _l("Mein Rückblick: Was habe ich erreicht, was nehme ich mit?"),
        validators=[_required, Length(max=2000)],
    )
