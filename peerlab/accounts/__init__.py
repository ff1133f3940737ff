"""Accounts: people, sessions, one-time links, guests, audit log."""

from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.accounts import cli, routes
    from peerlab.accounts import ratelimit
    from peerlab.core import due
    from peerlab.extensions import login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # server-side sessions make it unnecessary
    for bp in routes.blueprints():
        app.register_blueprint(bp)
    cli.init_app(app)
    due.register("accounts.rate_purge", ratelimit.purge)
