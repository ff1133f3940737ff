"""Template helpers for the series page: the date's materials, the feed links."""

from __future__ import annotations

from flask_login import current_user

from peerlab.core.clock import utcnow
from peerlab.core.urls import absolute
from peerlab.ical.urls import webcal
from peerlab.impulses.feed import SERIES_KIND
from peerlab.impulses.service import materials


def _user():
    return current_user if current_user.is_authenticated else None


def impulse_materials(impulse) -> list:
    """The materials the viewer may see for one date (none before the date ends for
    registered people, none for anyone else)."""
    return materials.listing(impulse, _user(), utcnow())


def series_feed(series) -> dict:
    """The feed links the series page offers: the public feed (public series), the viewer's
    own series link (signed in; None before it is created)."""
    from peerlab.ical.routes import series_feed_links

    public = None
    if series.audience == "public":
        https = absolute("impulse_ops.public_feed", series_id=series.id)
        public = {"https": https, "webcal": webcal(https)}
    user = _user()
    own = series_feed_links(SERIES_KIND, series.id, user) if user is not None else None
    return {"public": public, "own": own, "kind": SERIES_KIND, "signed_in": user is not None}
