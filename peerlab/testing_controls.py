"""Test-only controls; registered only when the app is created with TESTING_CONTROLS=True."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from peerlab.core import due
from peerlab.core.clock import get_clock
from peerlab.extensions import csrf

bp = Blueprint("testing", __name__, url_prefix="/_test")


@bp.post("/clock/advance")
def advance_clock():
    seconds = float(request.get_json(force=True).get("seconds", 0))
    now = get_clock().advance(seconds)
    results = due.run_due(now)
    return jsonify({"now": now.isoformat(), "due": results})


@bp.post("/due")
def run_due():
    now = get_clock().now()
    return jsonify({"now": now.isoformat(), "due": due.run_due(now)})


def init_app(app, registry) -> None:
    assert app.config.get("TESTING_CONTROLS"), "test controls only exist in test apps"
    csrf.exempt(bp)
    registry.blueprint(bp)
