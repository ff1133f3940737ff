"""Absolute links for mails and feed URLs: BASE_URL when configured, else the request's host."""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    configured = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost"


def absolute(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint; works in requests and in jobs (no request context)."""
    if has_request_context() and not current_app.config.get("BASE_URL"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base_url() + "/"):
        return url_for(endpoint, _external=True, **values)


def webcal(https_url: str) -> str:
    """The webcal:// form of a feed URL (calendar apps subscribe instead of downloading)."""
    return "webcal://" + https_url.split("://", 1)[-1]
