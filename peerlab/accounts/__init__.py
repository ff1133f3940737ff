"""Accounts: people, sessions, one-time links, guests, audit log."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.accounts import admin, cli, pending, ratelimit, routes, sockets
    from peerlab.accounts.models import GuestPass
    from peerlab.core import due, subjects
    from peerlab.core.registry import NavEntry
    from peerlab.extensions import login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # server-side sessions make it unnecessary
    for bp in routes.blueprints():
        registry.blueprint(bp)
    app.before_request(pending.enforce_second_factor)
    cli.init_app(app)
    sockets.init_app(app)  # who a live socket belongs to
    due.register("accounts.rate_purge", ratelimit.purge)
    # A guest pass admits to one subject only: it goes with the subject.
    subjects.register_reference("accounts.guest_passes", GuestPass, "scope_kind", "scope_id")
    registry.nav_entry(
        NavEntry(
            label=lambda: str(_l("Personen")),
            endpoint="accounts.people",
            visible=admin.may_see_people,
        )
    )
