"""German first, English by choice: locale and time zone selection, language switch, formats."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel.core import get_global
from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from peerlab.core.urls import safe_next
from peerlab.extensions import db

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    if not has_request_context():
        return "de"  # jobs and services outside a request; mails use force_locale
    if current_user and current_user.is_authenticated and current_user.language in langs:
        return current_user.language
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    return "de"


def select_timezone() -> str:
    if not has_request_context():
        return "Europe/Berlin"
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return "Europe/Berlin"


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of an IANA id; Berlin for none or an unknown one."""
    try:
        return ZoneInfo(name or "Europe/Berlin")
    except Exception:
        return ZoneInfo("Europe/Berlin")


def user_zone(user=None) -> ZoneInfo:
    return zone_named(getattr(user, "timezone", None))


# peerlab's ONE date format, from Babel, in the reader's language and time zone: the locale's
# "full" date ("Dienstag, 24. November 2026" / "Tuesday, November 24, 2026") and, with a time,
# its "short" time ("Dienstag, 24. November 2026, 09:00 Uhr" / "…, 9:00 AM"). Pages use the
# filters `dt` and `day`; mails pass the recipient's zone; the board's script formats ISO
# dates the same way with Intl.DateTimeFormat (static/js/live/words.js).
DAY_FORMAT = "full"
TIME_FORMAT = "short"


def _reader_zone(zone: str | tzinfo | None) -> tzinfo:
    if isinstance(zone, tzinfo):
        return zone
    # an explicit zone must be a real one (a format name passed by mistake fails loudly)
    return zone_named(select_timezone()) if zone is None else ZoneInfo(zone)


def _locale() -> str:
    return str(get_locale() or "de")


def format_day(value: date | datetime | None, zone: str | tzinfo | None = None) -> str:
    """A calendar day in the house format. A datetime counts as the day it is in the reader's
    zone; a date is shown as it is (it has no zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_reader_zone(zone)).date()
    return babel_dates.format_date(value, DAY_FORMAT, locale=_locale())


def format_clock(value: datetime, zone: str | tzinfo | None = None) -> str:
    """Only the time of day, in the reader's zone ("09:00" / "9:00 AM")."""
    local = value.astimezone(_reader_zone(zone))
    return babel_dates.format_time(local, TIME_FORMAT, locale=_locale())


def format_when(value: datetime | None, zone: str | tzinfo | None = None) -> str:
    """A moment in the house format: day and time in the reader's zone and language."""
    if value is None:
        return ""
    return _("%(day)s, %(time)s Uhr", day=format_day(value, zone), time=format_clock(value, zone))


# The zones people in and around Germany use most: offered first, by name, in the profile.
COMMON_ZONES = (
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Luxembourg",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Copenhagen",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/London",
    "Europe/Istanbul",
)


def zone_label(key: str) -> str:
    """A time zone as people name it, in the reader's language, from Babel: "Deutschland
    (Berlin)", "Österreich", "United States (New York)". Zones without a place (UTC, Etc/…)
    keep their id."""
    key = get_global("zone_aliases").get(key, key)  # an old alias: named as its zone
    if get_global("zone_territories").get(key) in (None, "ZZ", "001"):
        return key
    locale = Locale.parse(_locale())
    text = babel_dates.get_timezone_location(key, locale=locale)
    before, _sep, after = locale.zone_formats["region"].partition("%s")  # "%s (Ortszeit)"
    if text.startswith(before) and text.endswith(after):
        text = text[len(before) : len(text) - len(after)]
    return text


def _sort_key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def zone_choices(
    available: set[str], keep: str | None = None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(common, rest): (IANA id, name in the reader's language) for a time-zone picker. The
    common zones come first in COMMON_ZONES order; the rest once per name, by name (old aliases
    such as Europe/Kiev are left out, UTC stays). `keep` (the stored value) is always
    offered."""
    common = [(key, zone_label(key)) for key in COMMON_ZONES if key in available]
    aliases = get_global("zone_aliases")
    places = get_global("zone_territories")
    by_label: dict[str, str] = {"UTC": "UTC"} if "UTC" in available else {}
    for key in sorted(available):
        # old aliases, zones without a place and the common ones (above) are left out
        if key in aliases or key in COMMON_ZONES or places.get(key) in (None, "ZZ", "001"):
            continue
        by_label.setdefault(zone_label(key), key)
    rest = sorted(((key, label) for label, key in by_label.items()), key=lambda c: _sort_key(c[1]))
    offered = {key for key, _label in common + rest}
    if keep and keep in available and keep not in offered:
        rest.append((keep, zone_label(keep)))
    return common, rest


@bp.post("/sprache")
def switch_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


def init_app(app, babel) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    app.register_blueprint(bp)

    # The one date format (see format_when): `x|dt` a moment, `x|day` a calendar day; both
    # take the reader's zone unless one is given (mails: the recipient's).
    app.add_template_filter(format_when, "dt")
    app.add_template_filter(format_day, "day")

    @app.context_processor
    def _lang():
        return {"current_lang": str(get_locale() or "de")}
