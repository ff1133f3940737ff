"""Fixtures for the security baseline: an app with rate limits on, a crawler of GET pages."""

from __future__ import annotations

import re

import pytest

from peerlab.extensions import db
from tests.conftest import make_app

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
def limited_app(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
