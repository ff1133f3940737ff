"""Lean Coffee rounds, live in the browser (issue 4). Protocol: docs/realtime.md."""

from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab import demo
    from peerlab.accounts import lifecycle
    from peerlab.core import due, timebox
    from peerlab.lean_coffee import demo as lc_demo
    from peerlab.lean_coffee import events, integration, jobs, routes
    from peerlab.pages import dashboard, nav

    app.register_blueprint(routes.bp)
    events.register(app)
    if "core.timebox" not in due.processors():
        due.register("core.timebox", timebox.process_expired)
    due.register("lean_coffee.roman_close", jobs.close_due_roman_votes)
    due.register("lean_coffee.presence_sweep", jobs.sweep_presence)
    dashboard.register(integration.dashboard)
    nav.register(
        nav.NavEntry(label=lambda: str(_l("Lean Coffee")), endpoint="lean_coffee.list_rounds")
    )
    demo.register_seeder(lc_demo.seed)
    lifecycle.register_exporter("lean_coffee", integration.export_user)
    lifecycle.register_eraser("lean_coffee", integration.erase_user)
    try:
        from peerlab.ical import sources
        from peerlab.lean_coffee.calendar_source import RoundCalendar

        sources.register(RoundCalendar())
    except ImportError:  # pragma: no cover - the calendar package is part of every build
        app.logger.warning("calendar package missing: Lean Coffee dates stay out of calendars")
