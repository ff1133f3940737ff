"""Security baseline: headers, CSP without inline script or third parties, error pages."""

from __future__ import annotations

import logging

from flask import g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from peerlab.core.errors import DomainError
from peerlab.extensions import db, login_manager

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

MESSAGES = {
    400: lambda: _("Die Anfrage konnte nicht verarbeitet werden."),
    401: lambda: _("Bitte melden Sie sich an."),
    403: lambda: _("Dafür fehlt Ihnen die Berechtigung."),
    404: lambda: _("Diese Seite gibt es nicht oder nicht mehr."),
    405: lambda: _("Diese Aktion ist hier nicht möglich."),
    409: lambda: _("Das ist gerade nicht möglich."),
    413: lambda: _("Die Eingabe ist zu groß."),
    429: lambda: _("Zu viele Versuche. Bitte warten Sie einen Moment."),
    500: lambda: _("Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."),
    503: lambda: _("peerlab ist gerade nicht erreichbar. Bitte versuchen Sie es gleich erneut."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_page(status: int, message: str | None = None):
    text = message or MESSAGES.get(status, MESSAGES[400])()
    if _wants_json():
        return jsonify({"ok": False, "error": status, "message": text}), status
    return render_template("errors/error.html", status=status, message=text), status


def init_app(app) -> None:
    if request_is_https := app.config.get("SESSION_COOKIE_SECURE"):
        app.config["SESSION_COOKIE_SECURE"] = request_is_https

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def _csrf(err):
        db.session.rollback()
        return error_page(
            400,
            _(
                "Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die "
                "Seite neu und versuchen Sie es noch einmal."
            ),
        )

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        db.session.rollback()
        return error_page(err.status if err.status in MESSAGES else 400, err.message)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        db.session.rollback()
        status = err.code or 500
        return error_page(status if status in MESSAGES else 400)

    @app.errorhandler(Exception)
    def _internal(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if isinstance(err, OperationalError | InterfaceError):  # the database, not the code
            # The page must not ask the lost database who is signed in (for the menu and the
            # language): it shows the page as to someone not signed in (session language).
            g._login_user = login_manager.anonymous_user()
            return error_page(503)
        return error_page(500)
