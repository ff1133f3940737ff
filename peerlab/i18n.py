"""German first, English by choice: locale and time zone selection, language switch, formats."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
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


def user_zone(user=None) -> ZoneInfo:
    tz = getattr(user, "timezone", None) or "Europe/Berlin"
    try:
        return ZoneInfo(tz)
    except Exception:
        return ZoneInfo("Europe/Berlin")


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

    @app.template_filter("dt")
    def _dt(value: datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        if fmt == "medium":  # "27. November 2026, 09:00" – no seconds, in the reader's zone
            return f"{format_date(value, 'long')}, {format_time(value, 'short')}"
        return format_datetime(value, fmt)

    @app.context_processor
    def _lang():
        return {"current_lang": str(get_locale() or "de")}
