"""Confidential small groups (issue 11): invite-only, group identities, live threads."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.core import due, spaces, subjects
    from peerlab.core.registry import LandingCard, NavEntry
    from peerlab.groups import (  # noqa: F401 - their pages join routes.bp
        access,
        integration,
        live,
        routes,
        routes_own,
        routes_rounds,
        routes_threads,
    )
    from peerlab.groups import demo as groups_demo
    from peerlab.groups.models import SPACE_KIND
    from peerlab.groups.service import anonymous

    registry.blueprint(routes.bp)
    spaces.register(access.POLICY)
    subjects.register_kind(SPACE_KIND)  # deleting a group takes its memberships along
    live.init_app(app)
    from peerlab.groups import rounds

    rounds.register()  # rounds of a group: for its active members, by their group identities
    due.register_kind(anonymous.PUBLISH_KIND, anonymous.publish)
    registry.dashboard_part("groups", integration.dashboard)
    registry.nav_entry(NavEntry(label=lambda: str(_l("Gruppen")), endpoint="groups.index"))
    registry.landing_card(
        LandingCard(
            key="groups",
            title=_l("Vertrauliche Kleingruppen"),
            description=_l(
                "Geschlossene Gruppen von Amtskolleginnen und -kollegen unter der "
                "Chatham-House-Regel, mit Namen oder einem Pseudonym nur für diese Gruppe."
            ),
        )
    )
    registry.exporter("groups", integration.export_user)
    registry.eraser("groups", integration.erase_user)
    registry.demo_seeder("groups", groups_demo.seed)
    # Retention (30/90/365 days, or the group ends after 12 quiet months): real deletion.
    from peerlab.core import retention
    from peerlab.groups import expiry

    retention.register("groups.content", expiry.purge)
