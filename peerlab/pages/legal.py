"""Operator-configurable legal texts: instance/legal/<page>.<lang>.html overrides the default."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from markupsafe import Markup

PAGES = ("imprint", "privacy", "accessibility")


def operator_text(page: str, lang: str) -> Markup | None:
    """The operator's own HTML fragment for a legal page, if the operator provided one."""
    if page not in PAGES:
        return None
    folder = Path(current_app.config["LEGAL_DIR"])
    for candidate in (folder / f"{page}.{lang}.html", folder / f"{page}.de.html"):
        if candidate.is_file():
            return Markup(candidate.read_text(encoding="utf-8"))  # noqa: S704 - operator's own text
    return None
