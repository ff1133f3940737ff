"""Short-impulse series (issue 10): organizers plan series of inputs, leaders register once."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.core import due
    from peerlab.core.registry import LandingCard, NavEntry
    from peerlab.impulses import demo, integration, routes
    from peerlab.impulses.calendar_source import ImpulseCalendar
    from peerlab.impulses.service import reminders

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
    registry.calendar_source(ImpulseCalendar())
    registry.join_link(ImpulseCalendar.kind, integration.join_target)
    registry.exporter("impulses", integration.export_user)
    registry.eraser("impulses", integration.erase_user)
    registry.demo_seeder("impulses", demo.seed)
