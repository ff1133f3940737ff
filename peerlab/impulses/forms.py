"""Forms of the impulse pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from peerlab.lean_coffee.forms import web_link

_required = DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))


def _range(low: int, high: int):
    return NumberRange(
        low, high, message=_l("Bitte geben Sie eine Zahl von %(min)s bis %(max)s an.")
    )


def _plausible_day(form, field) -> None:
    if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError(_l("Bitte wählen Sie ein Datum zwischen 2000 und 2100."))


def parse_days(text: str) -> frozenset[date]:
    """Days to skip, one per line or separated by commas, written as YYYY-MM-DD (the value
    of a date field) or DD.MM.YYYY."""
    days = set()
    for part in (text or "").replace(",", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        try:
            if "." in part:
                d, m, y = (int(x) for x in part.split("."))
                days.add(date(y, m, d))
            else:
                days.add(date.fromisoformat(part))
        except ValueError as err:
            raise ValidationError(
                _l("„%(day)s“ ist kein Datum. Bitte schreiben Sie es wie 24.12.2026.", day=part)
            ) from err
    return frozenset(days)


def _skip_days(form, field) -> None:
    parse_days(field.data)


class SeriesForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[_required, Length(max=160)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=4000)])
    audience = RadioField(
        _l("Wer sieht die Reihe?"),
        choices=[
            ("network", _l("Nur angemeldete Mitglieder des Netzwerks")),
            ("public", _l("Öffentlich: Titel, Termine und Inhalte für alle sichtbar")),
        ],
        default="network",
        validators=[_required],
    )
    default_minutes = IntegerField(
        _l("Dauer eines Termins in Minuten"), default=30, validators=[_required, _range(5, 240)]
    )
    video_url = StringField(
        _l("Link zum Videoraum"), validators=[Optional(), Length(max=500), web_link]
    )
    capacity = IntegerField(_l("Plätze pro Termin"), validators=[Optional(), _range(1, 10000)])
    deadline_hours = IntegerField(
        _l("Anmeldeschluss: Stunden vor Beginn"), default=0, validators=[Optional(), _range(0, 336)]
    )


class ImpulseForm(FlaskForm):
    title = StringField(_l("Thema"), validators=[_required, Length(max=160)])
    speaker_name = StringField(
        _l("Name der vortragenden Person"), validators=[Optional(), Length(max=120)]
    )
    abstract = TextAreaField(_l("Kurzbeschreibung"), validators=[Optional(), Length(max=4000)])
    day = DateField(_l("Datum"), validators=[_required, _plausible_day])
    start_time = TimeField(_l("Beginn (Uhrzeit in Deutschland)"), validators=[_required])
    minutes = IntegerField(_l("Dauer in Minuten"), validators=[_required, _range(5, 240)])


class RuleForm(FlaskForm):
    title = StringField(_l("Thema aller Termine"), validators=[_required, Length(max=160)])
    first = DateField(_l("Erster möglicher Tag"), validators=[_required, _plausible_day])
    start_time = TimeField(_l("Beginn (Uhrzeit in Deutschland)"), validators=[_required])
    frequency = RadioField(
        _l("Wiederholung"),
        choices=[
            ("1", _l("Jede Woche am Wochentag des ersten Tags")),
            ("2", _l("Jede zweite Woche am Wochentag des ersten Tags")),
            ("m1", _l("Monatlich, am ersten dieses Wochentags")),
            ("m2", _l("Monatlich, am zweiten dieses Wochentags")),
            ("m3", _l("Monatlich, am dritten dieses Wochentags")),
            ("m4", _l("Monatlich, am vierten dieses Wochentags")),
            ("m-1", _l("Monatlich, am letzten dieses Wochentags")),
        ],
        default="2",
        validators=[_required],
    )
    count = IntegerField(_l("Anzahl der Termine"), default=6, validators=[_required, _range(1, 52)])
    skip = TextAreaField(
        _l("Auslassen (Tage, einer pro Zeile)"),
        validators=[Optional(), Length(max=2000), _skip_days],
    )
