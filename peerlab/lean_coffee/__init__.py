"""Lean Coffee rounds, live in the browser (issue 4). Protocol: docs/realtime.md."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.core import due, spaces, subjects, timebox
    from peerlab.core import presence as core_presence
    from peerlab.core.registry import LandingCard, NavEntry
    from peerlab.lean_coffee import (
        access,
        events,
        integration,
        jobs,
        routes,
        routes_removal,  # noqa: F401 - its pages join routes.bp
        routes_summary,  # noqa: F401 - its pages join routes.bp
    )
    from peerlab.lean_coffee import demo as lc_demo
    from peerlab.lean_coffee.calendar_source import RoundCalendar
    from peerlab.lean_coffee.service import presence, rounds

    registry.blueprint(routes.bp)
    spaces.register(access.RoundPolicy())
    events.register(app)
    timebox.register_expiry(rounds.TIMEBOX_KIND, jobs.open_roman_on_expiry)
    due.register_kind(jobs.ROMAN_CLOSE_KIND, jobs.close_roman_when_due)
    subjects.register_kind(rounds.SUBJECT_KIND, also=(rounds.TIMEBOX_KIND,))
    core_presence.on_change(presence.KIND, jobs.presence_gone)
    registry.dashboard_part("lean_coffee", integration.dashboard)
    registry.nav_entry(
        NavEntry(label=lambda: str(_l("Lean Coffee")), endpoint="lean_coffee.list_rounds")
    )
    registry.landing_card(
        LandingCard(
            key="lean_coffee",
            title=_l("Lean-Coffee-Runden"),
            description=_l(
                "Eine Stunde, keine feste Tagesordnung: Alle schlagen Themen vor (auf Wunsch "
                "anonym), vergeben Punkte und besprechen die wichtigsten in kurzen Zeitfenstern."
            ),
        )
    )
    registry.demo_seeder("lean_coffee", lc_demo.seed)
    registry.exporter("lean_coffee", integration.export_user)
    registry.eraser("lean_coffee", integration.erase_user)
    registry.calendar_source(RoundCalendar())
    registry.join_link(RoundCalendar.kind, integration.join_target)
