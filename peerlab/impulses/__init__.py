"""Short-impulse series (issue 10): organizers plan series of inputs, leaders register once."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.core import due, subjects, uploads
    from peerlab.core.registry import LandingCard, NavEntry
    from peerlab.impulses import demo, integration, ops_view, routes, routes_materials, routes_ops
    from peerlab.impulses.feed import ImpulseSeriesCalendar
    from peerlab.impulses.service import materials, reminders

    app.config.setdefault("IMPULSES_PROMOTION_STOP_HOURS", 2)
    # speakers, questions and feedback: their tables and their routes on the same blueprint
    from peerlab.impulses import routes_feedback, routes_speaker  # noqa: F401

    registry.blueprint(routes.bp)
    due.register_kind(reminders.DUE_KIND, reminders.send_due)
    registry.dashboard_part("impulses", integration.dashboard)
    registry.nav_entry(NavEntry(label=lambda: str(_l("Kurzimpulse")), endpoint="impulses.index"))
    registry.landing_card(
        LandingCard(
            key="impulses",
            title=_l("Kurzimpuls-Reihen"),
            description=_l(
                "Kurze Inputs von Fachleuten, zum Beispiel sechs Mal 30 Minuten alle zwei Wochen: "
                "einmal für die ganze Reihe anmelden, einzelne Termine bei Bedarf freigeben."
            ),
        )
    )
    registry.calendar_source(ImpulseSeriesCalendar())  # dates, and series feeds
    registry.join_link(ImpulseSeriesCalendar.kind, integration.join_target)
    registry.exporter("impulses", integration.export_user)
    registry.eraser("impulses", integration.erase_user)
    registry.demo_seeder("impulses", demo.seed)
    # materials, mail to registrants, the signed release link, the public series feed
    registry.blueprint(routes_materials.bp)
    registry.blueprint(routes_ops.bp)
    uploads.allow_larger(app, routes_materials.UPLOAD_ENDPOINT, routes_materials.REQUEST_LIMIT)
    subjects.register_action("impulses.materials", ("impulse_materials",), materials.forget_subject)
    app.add_template_global(ops_view.series_feed, "impulse_series_feed")
