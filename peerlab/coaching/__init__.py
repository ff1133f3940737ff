"""Kollegiale Beratung (issue 12): a live peer-coaching session with roles and timed phases.
Protocol and design: docs/coaching.md."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.coaching import access, events, integration, routes
    from peerlab.coaching import demo as coaching_demo
    from peerlab.coaching.calendar_source import SessionCalendar
    from peerlab.coaching.models import SPACE_KIND
    from peerlab.coaching.service import ending, setup
    from peerlab.core import due, spaces, subjects
    from peerlab.core import presence as core_presence
    from peerlab.core.agenda import AgendaKind
    from peerlab.core.registry import LandingCard, NavEntry

    registry.blueprint(routes.bp)
    spaces.register(access.POLICY)
    subjects.register_kind(SPACE_KIND)  # deleting a session takes memberships, agenda, … along
    events.register(app)
    registry.agenda_kind(
        AgendaKind(
            SPACE_KIND, may_facilitate=events.may_facilitate, on_change=events.on_agenda_change
        )
    )
    due.register_kind(setup.AUTO_END, ending.auto_end)
    core_presence.on_change(SPACE_KIND, events.presence_changed)
    registry.dashboard_part("coaching", integration.dashboard)
    registry.nav_entry(
        NavEntry(label=lambda: str(_l("Kollegiale Beratung")), endpoint="coaching.index")
    )
    registry.landing_card(
        LandingCard(
            key="coaching",
            title=_l("Kollegiale Beratung"),
            description=_l(
                "Eine Person bringt einen Fall mit, Kolleginnen und Kollegen beraten in festen, "
                "getakteten Phasen – vertraulich, und am Ende bleibt nur, was die Fallgebende "
                "mitnimmt."
            ),
        )
    )
    registry.calendar_source(SessionCalendar())
    registry.join_link(SessionCalendar.kind, integration.join_target)
    registry.exporter("coaching", integration.export_user)
    registry.eraser("coaching", integration.erase_user)
    registry.demo_seeder("coaching", coaching_demo.seed)
