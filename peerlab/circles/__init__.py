"""Working-Out-Loud circles (issue 9): twelve weekly meetings, check-ins, private workspaces."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.circles import (
        access,
        integration,
        routes,
        routes_meeting,  # noqa: F401 - its page joins routes.bp
        routes_schedule,  # noqa: F401 - skip/move, quorum, leaving, closing pages
        routes_workspace,  # noqa: F401 - its pages join routes.bp
    )
    from peerlab.circles import demo as circles_demo
    from peerlab.circles.calendar_source import CircleCalendar
    from peerlab.circles.models import SPACE_KIND
    from peerlab.circles.service import reminders
    from peerlab.core import spaces, subjects
    from peerlab.core.registry import LandingCard, NavEntry

    registry.blueprint(routes.bp)
    spaces.register(access.POLICY)
    subjects.register_kind(SPACE_KIND)  # deleting a circle takes its memberships along
    registry.dashboard_part("circles", integration.dashboard)
    registry.nav_entry(NavEntry(label=lambda: str(_l("Circles")), endpoint="circles.index"))
    registry.landing_card(
        LandingCard(
            key="circles",
            title=_l("Working-Out-Loud-Circles"),
            description=_l(
                "Vier bis fünf Menschen treffen sich zwölf Wochen lang einmal pro Woche und "
                "helfen einander, ein persönliches Ziel zu erreichen."
            ),
        )
    )
    registry.calendar_source(CircleCalendar())
    registry.join_link(CircleCalendar.kind, integration.join_target)
    registry.exporter("circles", integration.export_user)
    registry.eraser("circles", integration.erase_user)
    registry.demo_seeder("circles", circles_demo.seed)
    reminders.register()
    _meeting(app, registry)


def _meeting(app, registry) -> None:
    """The live weekly meeting: its agenda kind, presence room and socket events."""
    from peerlab.circles import events
    from peerlab.circles.service import meeting
    from peerlab.core import presence, subjects
    from peerlab.core.agenda import AgendaKind

    # A meeting's agenda and presence rows name it by (kind, id): deleting a meeting goes
    # through core.subjects (a circle's deletion, when it comes, deletes its meetings so).
    subjects.register_kind(meeting.KIND)
    registry.agenda_kind(
        AgendaKind(meeting.KIND, meeting.may_facilitate, on_change=events.on_agenda_change)
    )
    presence.on_change(meeting.KIND, events.on_presence_swept)
    events.register(app)
