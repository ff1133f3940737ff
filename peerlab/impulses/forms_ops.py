"""Forms for materials and the mail to all registrants (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from peerlab.core.forms import web_link

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))

SUBJECT_MAX = 150
BODY_MAX = 5000


class MaterialFileForm(FlaskForm):
    file_title = StringField(_l("Titel"), validators=[Optional(), Length(max=160)])
    datei = FileField(
        _l("Datei"), validators=[FileRequired(message=_l("Bitte wählen Sie eine Datei aus."))]
    )


class MaterialLinkForm(FlaskForm):
    link_title = StringField(_l("Titel"), validators=[_required, Length(max=160)])
    url = StringField(_l("Link"), validators=[_required, Length(max=500), web_link])


class BroadcastForm(FlaskForm):
    scope = SelectField(_l("An wen?"), choices=[], validators=[_required])  # set per series
    include_waiting = BooleanField(_l("Auch Personen auf der Warteliste"), default=False)
    subject = StringField(
        _l("Betreff"),
        validators=[
            _required,
            Length(max=SUBJECT_MAX, message=_l("Höchstens %(max)d Zeichen.")),
        ],
    )
    body = TextAreaField(
        _l("Nachricht"),
        validators=[_required, Length(max=BODY_MAX, message=_l("Höchstens %(max)d Zeichen."))],
    )
    nonce = HiddenField()
