"""Start page and dashboard, legal pages, health check, navigation."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_login import current_user

    from peerlab.pages import formats, nav, routes

    registry.blueprint(routes.bp)
    # The format list pages and mails read ("Lean-Coffee-Runden und …"): registered cards only.
    app.jinja_env.globals["format_list"] = formats.listed

    @app.context_processor
    def _navigation():
        return {
            "nav_items": lambda: nav.items(current_user),
            "demo_mailbox": app.extensions.get("peerlab.demo_mailbox", False),
        }
