"""URL helpers every feature uses: bounded ids in routes, safe redirect targets, absolute links
for mails and feeds, and the check for a web link (a video room) that people may click."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` accepting 0 … 2³¹−1; a larger number does not match the route (404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed after a switch or sign-in.

    Browsers and Werkzeug drop tabs and newlines from a Location, so "/\t/evil" would become
    "//evil": any control character, white space or backslash makes the target unsafe.
    """
    if (
        not isinstance(target, str)
        or not target.startswith("/")
        or target.startswith("//")
        or any(ch.isspace() or ord(ch) < 32 or ch in "\\\x7f" for ch in target)
    ):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def base_url() -> str:
    """BASE_URL when configured, else the request's host (jobs without either: localhost)."""
    configured = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost"


def absolute(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint for mails and feeds; works in requests and in jobs."""
    if has_request_context() and not current_app.config.get("BASE_URL"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base_url() + "/"):
        return url_for(endpoint, _external=True, **values)


def is_web_link(url: str) -> bool:
    """A complete http(s) link with a host: the only kind of link (a video room) we show."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and url.lower().startswith(("https://", "http://"))
    )


def init_app(app) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
