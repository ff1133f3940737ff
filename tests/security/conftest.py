"""Fixtures for the security baseline: an app with rate limits on, a crawler of GET pages."""

from __future__ import annotations

import re

import pytest

DUMMY = {"int": "1", "default": "x" * 43, "string": "x" * 43, "path": "x"}
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def url_for_rule(rule) -> str:
    """A concrete URL for a rule, with harmless values for its variables."""
    return _CONVERTER.sub(lambda m: DUMMY.get(m.group(1) or "default", "x"), rule.rule)


def rules(app, method: str) -> list:
    return [
        r
        for r in app.url_map.iter_rules()
        if method in r.methods and not r.endpoint.startswith(("testing.", "static"))
    ]


@pytest.fixture
def limited_app(app):
    """The test app with rate limits on. The same app (and so the same session) as the one
    make_user writes with: a second app on the same file would wait for the first one's
    write lock (every SQLite transaction begins IMMEDIATE, see core.db_setup)."""
    app.config["RATELIMIT_ENABLED"] = True
    return app
