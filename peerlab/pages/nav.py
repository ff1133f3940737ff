"""Main navigation entries contributed by features (shown to signed-in users)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavEntry:
    label: Callable[[], str]
    endpoint: str
    visible: Callable[[object], bool] = lambda user: True


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(e.endpoint != entry.endpoint for e in _entries):
        _entries.append(entry)


def items(user) -> list[NavItem]:
    return [NavItem(e.label(), url_for(e.endpoint)) for e in _entries if e.visible(user)]
