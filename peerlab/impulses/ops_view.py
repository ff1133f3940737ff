"""Template helpers for the series page: the feed links (the materials per date come with
`people.for_series`)."""

from __future__ import annotations

from flask_login import current_user

from peerlab.core.urls import absolute
from peerlab.ical.urls import webcal
from peerlab.impulses.feed import SERIES_KIND


def _user():
    return current_user if current_user.is_authenticated else None


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
