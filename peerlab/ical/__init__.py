"""Calendar: the shared iCal builder, downloads, personal feeds, invitations (issue 3)."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.core import subjects
    from peerlab.core.registry import NavEntry
    from peerlab.ical import feed_cache, overview, routes
    from peerlab.ical.dashboard import invitations_part
    from peerlab.ical.lifecycle import erase_user, export_user, forget_subject
    from peerlab.ical.models import SeriesFeedKey

    feed_cache.init_app(app)
    registry.blueprint(routes.bp)
    app.add_template_global(overview.summary, "ical_responses")
    app.add_template_global(routes.download_url, "ical_download_url")
    registry.nav_entry(NavEntry(label=lambda: str(_l("Kalender")), endpoint="ical.settings"))
    registry.dashboard_part("calendar.invitations", invitations_part)
    registry.exporter("calendar", export_user)
    registry.eraser("calendar", erase_user)
    subjects.register_action(
        "calendar.dates",
        ("calendar_sequences", "calendar_invitations", "calendar_cancelled_occurrences"),
        forget_subject,
    )
    # A series feed link of a deleted series dies with it.
    subjects.register_reference("calendar.series_feeds", SeriesFeedKey, "series_kind", "series_id")
