"""Main navigation entries contributed by features (shown to signed-in users).

Features register a `NavEntry` in init_app (`registry.nav_entry(...)`); the entries live on the
app (core.registry), in registration order.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from peerlab.core import registry


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def items(user) -> list[NavItem]:
    entries = registry.current().items("nav_entries").values()
    return [NavItem(e.label(), url_for(e.endpoint)) for e in entries if e.visible(user)]
