"""Forms for speakers, questions and feedback (Flask-WTF: CSRF on every form). Length and
content rules live in the services; the forms only read the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))


class MemberSpeakerForm(FlaskForm):
    account_email = StringField(_l("E-Mail-Adresse des Kontos"), validators=[_required])


class GuestSpeakerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required])
    email = StringField(_l("E-Mail-Adresse"), validators=[_required])


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Ihre Frage"), validators=[_required])


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("Wie hilfreich war der Impuls für Sie?"),
        choices=[
            ("5", _l("5 – sehr hilfreich")),
            ("4", "4"),
            ("3", "3"),
            ("2", "2"),
            ("1", _l("1 – nicht hilfreich")),
        ],
        validators=[DataRequired(message=_l("Bitte wählen Sie eine Bewertung von 1 bis 5."))],
        validate_choice=False,  # the service checks 1–5 with its own message
    )
    comment = TextAreaField(_l("Kommentar"))
