"""Forms of the group pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from peerlab.groups.models import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))

RETENTION_CHOICES = (
    SelectChoice("30", _l("30 Tage")),
    SelectChoice("90", _l("90 Tage")),
    SelectChoice("365", _l("365 Tage")),
    SelectChoice("end", _l("bis die Gruppe endet")),
)


class IdentityMixin:
    identity = RadioField(
        _l("So heißen Sie in dieser Gruppe"),
        choices=[
            SelectChoice("real", _l("mit meinem Namen")),
            SelectChoice("pseudonym", _l("mit einem Pseudonym nur für diese Gruppe")),
        ],
        validators=[InputRequired(message=_l("Bitte wählen Sie, wie Sie in der Gruppe heißen."))],
    )
    pseudonym = StringField(_l("Pseudonym"), validators=[Optional(), Length(max=40)])
    accept_rule = BooleanField(
        _l("Ich halte mich an die Vertraulichkeitsregel dieser Gruppe."),
        validators=[DataRequired(message=_l("Ohne diese Zusage ist ein Beitritt nicht möglich."))],
    )


class GroupForm(IdentityMixin, FlaskForm):
    name = StringField(_l("Name der Gruppe"), validators=[_required, Length(min=3, max=120)])
    purpose = TextAreaField(_l("Worum es geht"), validators=[Optional(), Length(max=2000)])
    size_limit = IntegerField(
        _l("Höchstens so viele Mitglieder"),
        default=DEFAULT_SIZE,
        validators=[
            InputRequired(message=_l("Bitte geben Sie eine Zahl an.")),
            NumberRange(min=MIN_SIZE, max=MAX_SIZE),
        ],
    )
    allow_real = BooleanField(_l("Klarnamen"), default=True)
    allow_pseudonym = BooleanField(_l("Pseudonyme für diese Gruppe"), default=True)
    allow_anonymous = BooleanField(_l("Anonyme Beiträge"), default=False)
    retention = RadioField(
        _l("Inhalte werden gelöscht nach"),
        choices=RETENTION_CHOICES,
        default="90",
        validators=[_required],
    )
    members_may_invite = BooleanField(_l("Mitglieder dürfen andere einladen"), default=True)


class JoinForm(IdentityMixin, FlaskForm):
    pass


class ThreadForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[_required, Length(max=200)])
    body = TextAreaField(_l("Ihr Beitrag"), validators=[_required])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Ihre Antwort"), validators=[_required])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Beitrag"), validators=[_required])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Gemeinsame Notizen"), validators=[Optional()])
    version = HiddenField()


class InviteAccountForm(FlaskForm):
    user_id = SelectField(
        _l("Person mit peerlab-Konto"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Bitte wählen Sie eine Person."))],
    )


class InviteAddressForm(FlaskForm):
    email = StringField(_l("E-Mail-Adresse"), validators=[_required, Length(max=254)])


class LinkForm(FlaskForm):
    days = RadioField(
        _l("Der Link gilt"),
        choices=[
            SelectChoice("1", _l("1 Tag")),
            SelectChoice("7", _l("7 Tage")),
            SelectChoice("14", _l("14 Tage")),
        ],
        default="7",
        validators=[_required],
    )


class LeaveForm(FlaskForm):
    successor = SelectField(_l("Wer übernimmt die Verantwortung?"), coerce=int, choices=[])


class EndForm(FlaskForm):
    confirm = BooleanField(
        _l("Ich habe verstanden: Alle Inhalte der Gruppe werden endgültig gelöscht."),
        validators=[DataRequired(_l("Bitte bestätigen Sie, dass alles gelöscht wird."))],
    )
