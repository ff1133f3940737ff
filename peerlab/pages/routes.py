"""Start page, dashboard, legal pages and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from peerlab.core import registry
from peerlab.core.clock import utcnow
from peerlab.core.live import queue as live_queue
from peerlab.extensions import db, socketio
from peerlab.pages import dashboard, legal

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    cards = list(registry.current().items("landing_cards").values())
    if not current_user.is_authenticated:
        return render_template("pages/landing.html", cards=cards)
    now = utcnow()
    part = dashboard.collect(current_user, now)
    return render_template("pages/dashboard.html", part=part, now=now, cards=cards)


def _legal(page: str, template: str):
    from peerlab.i18n import select_locale

    return render_template(template, operator_text=legal.operator_text(page, select_locale()))


@bp.get("/impressum")
def imprint():
    return _legal("imprint", "pages/imprint.html")


@bp.get("/datenschutz")
def privacy():
    return _legal("privacy", "pages/privacy.html")


@bp.get("/barrierefreiheit")
def accessibility():
    return _legal("accessibility", "pages/accessibility.html")


@bp.get("/anonymitaet")
def anonymity():
    """Public: what anonymous contributions hide, per mode and format, and what they cannot."""
    return render_template("pages/anonymity.html")


@bp.get("/healthz")
def healthz():
    checks: dict[str, str] = {}
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:
        db.session.rollback()
        checks["database"] = "error"
        healthy = False
    queue = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue:
        try:
            import redis

            redis.Redis.from_url(queue, socket_connect_timeout=2, socket_timeout=2).ping()
            # Redis answering is not enough: this process must hear it (its listener
            # reconnects by itself, core/live/queue.py).
            if live_queue.deaf(socketio.server):
                raise ConnectionError("the queue listener is not subscribed")
            checks["message_queue"] = "ok"
        except Exception:
            checks["message_queue"] = "error"
            healthy = False
    body = {"status": "ok" if healthy else "error", "checks": checks, "time": utcnow().isoformat()}
    return jsonify(body), 200 if healthy else 503
