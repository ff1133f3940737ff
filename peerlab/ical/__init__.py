"""Calendar: the shared iCal builder, downloads, personal feeds, invitations (issue 3)."""

from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from peerlab.accounts import lifecycle
    from peerlab.core import subjects
    from peerlab.ical import overview, routes
    from peerlab.ical.dashboard import invitations_part
    from peerlab.ical.lifecycle import erase_user, export_user, forget_subject
    from peerlab.pages import dashboard, nav

    app.register_blueprint(routes.bp)
    app.add_template_global(overview.summary, "ical_responses")
    app.add_template_global(routes.download_url, "ical_download_url")
    nav.register(nav.NavEntry(label=lambda: str(_l("Kalender")), endpoint="ical.settings"))
    dashboard.register(invitations_part)
    lifecycle.register_exporter("calendar", export_user)
    lifecycle.register_eraser("calendar", erase_user)
    subjects.register_action(
        "calendar.dates",
        ("calendar_sequences", "calendar_invitations", "calendar_cancelled_occurrences"),
        forget_subject,
    )
