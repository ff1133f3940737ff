"""The feature contract: what each feature adds to the app, held by the app, frozen at startup.

`create_app` names the features; each `init_app(app, registry)` adds to the typed slots below
(blueprints, socket namespace, jobs, dashboard part, navigation entry, landing-page card,
calendar sources, export and erasure hooks, demo data, agenda kinds, "Jetzt teilnehmen" links)
and the core layer's own hooks (due-item kinds, timebox expiry handlers, space policies,
presence-change handlers, subject references and kinds). Consumers pull a slot by name from
the app they run in (`current().items("nav_entries")`), so two apps built in one process
(tests build many) never share a registration, and a registration made after `create_app`
returned raises instead of silently changing a running app.

Mistakes fail at startup, not on the first request that needs the hook: an unknown slot name,
two features claiming one key, a hook that is not callable, a calendar source without one of
its methods, an exporter without the matching eraser (or a misspelt name on one of them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "peerlab.registry"


class RegistryError(RuntimeError):
    """A feature registered something the contract does not allow (a startup error)."""


class RegistryFrozen(RegistryError):
    """Registering after `create_app` finished."""


@dataclass(frozen=True)
class NavEntry:
    """A main navigation entry, shown to signed-in users for whom `visible(user)` holds."""

    label: Callable[[], str]
    endpoint: str
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class LandingCard:
    """One card per format on the landing page: German title and one-sentence description
    (lazy strings, translated when shown)."""

    key: str
    title: Any
    description: Any


def _callable(value: Any) -> None:
    if not callable(value):
        raise RegistryError(f"{value!r} is not callable")


def _nav_entry(value: Any) -> None:
    if not isinstance(value, NavEntry):
        raise RegistryError("nav_entries take a NavEntry")
    _callable(value.label)
    _callable(value.visible)


def _landing_card(value: Any) -> None:
    if not isinstance(value, LandingCard):
        raise RegistryError("landing_cards take a LandingCard")
    if not str(value.title).strip() or not str(value.description).strip():
        raise RegistryError(f"landing card {value.key!r} needs a title and a description")


_SOURCE_METHODS = ("event", "can_view", "events_for")
_SERIES_METHODS = ("series_title", "series_events", "can_view_series")


def _calendar_source(value: Any) -> None:
    missing = [m for m in _SOURCE_METHODS if not callable(getattr(value, m, None))]
    if getattr(value, "series_kind", None):
        missing += [m for m in _SERIES_METHODS if not callable(getattr(value, m, None))]
    if missing:
        raise RegistryError(f"calendar source {value!r} lacks {', '.join(missing)}")


def _agenda_kind(value: Any) -> None:
    _callable(getattr(value, "may_facilitate", None))


def _has_callable(attr: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        _callable(getattr(value, attr, None))

    return check


def _space_policy(value: Any) -> None:
    if not getattr(value, "kind", "") or getattr(value, "model", None) is None:
        raise RegistryError(f"space policy {value!r} needs a kind and a model")
    _callable(getattr(value, "condition", None))


def _kind_set(value: Any) -> None:
    if not isinstance(value, frozenset):
        raise RegistryError("subject_kinds take a frozenset of further kinds")


def _anything(value: Any) -> None:
    """Slot without a check (the socket engineer defines what a namespace entry is)."""


# slot name -> check of one value. The list is the contract: a feature cannot invent a slot.
SLOTS: dict[str, Callable[[Any], None]] = {
    "blueprints": lambda value: None,
    "socket_namespaces": _anything,
    "jobs": _callable,
    "dashboard_parts": _callable,
    "nav_entries": _nav_entry,
    "landing_cards": _landing_card,
    "calendar_sources": _calendar_source,
    "exporters": _callable,
    "erasers": _callable,
    "demo_seeders": _callable,
    "agenda_kinds": _agenda_kind,
    # kind of date ("lean_coffee.round") -> fn(subject_id, user) -> core.joining.JoinTarget | None
    "join_links": _callable,
    # core hooks, filled through the core modules' own functions (due.register_kind, …)
    "due_kinds": _has_callable("handler"),
    "expiry_handlers": _callable,
    "space_policies": _space_policy,
    "presence_handlers": _callable,
    "quiet_room_kinds": lambda value: None,  # room kinds that keep no presence at all
    "subject_references": _has_callable("action"),
    "subject_kinds": _kind_set,
    # name -> fn(now) -> retention.Purged: deletes content older than its retention
    "purgers": _callable,
    # name -> fn(user_ids, now): someone has something new (core.activity; no content)
    "activity_listeners": _callable,
}


class Registry:
    """What the features of one app registered; read-only once `freeze()` ran."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._slots: dict[str, dict[str, Any]] = {name: {} for name in SLOTS}
        self.frozen = False

    def _slot(self, slot: str) -> dict[str, Any]:
        try:
            return self._slots[slot]
        except KeyError:
            raise RegistryError(
                f"unknown registry slot {slot!r}; known: {', '.join(sorted(SLOTS))}"
            ) from None

    def add(self, slot: str, key: str, value: Any) -> Any:
        """Register `value` under `key` in `slot`; a second claim of one key is an error."""
        entries = self._slot(slot)
        if self.frozen:
            raise RegistryFrozen(f"{slot}: {key!r} registered after startup")
        if not isinstance(key, str) or not key:
            raise RegistryError(f"{slot}: a registration needs a name")
        if key in entries:
            raise RegistryError(f"{slot}: {key!r} is registered twice")
        SLOTS[slot](value)
        entries[key] = value
        return value

    def items(self, slot: str) -> Mapping[str, Any]:
        """The slot's registrations in registration order (read-only view)."""
        return MappingProxyType(self._slot(slot))

    def get(self, slot: str, key: str) -> Any | None:
        return self._slot(slot).get(key)

    # Typed shortcuts: the names features use in init_app.
    def blueprint(self, bp, **options) -> None:
        self.add("blueprints", bp.name, bp)
        self.app.register_blueprint(bp, **options)

    def socket_namespace(self, namespace: str, handler: Any = None) -> None:
        self.add("socket_namespaces", namespace, handler)

    def job(self, name: str, fn: Callable) -> None:
        self.add("jobs", name, fn)

    def dashboard_part(self, name: str, provider: Callable) -> None:
        self.add("dashboard_parts", name, provider)

    def nav_entry(self, entry: NavEntry) -> None:
        self.add("nav_entries", entry.endpoint, entry)

    def landing_card(self, card: LandingCard) -> None:
        self.add("landing_cards", card.key, card)

    def calendar_source(self, source: Any) -> None:
        self.add("calendar_sources", getattr(source, "kind", ""), source)

    def exporter(self, name: str, fn: Callable) -> None:
        self.add("exporters", name, fn)

    def eraser(self, name: str, fn: Callable) -> None:
        self.add("erasers", name, fn)

    def demo_seeder(self, name: str, fn: Callable) -> None:
        self.add("demo_seeders", name, fn)

    def agenda_kind(self, kind: Any) -> None:
        self.add("agenda_kinds", getattr(kind, "subject_kind", ""), kind)

    def join_link(self, kind: str, lookup: Callable) -> None:
        """Where a person joins a date of `kind` ("Jetzt teilnehmen", see core.joining)."""
        self.add("join_links", kind, lookup)

    def freeze(self) -> None:
        """End of startup: check that hooks pair up, then refuse further registrations."""
        exporters, erasers = set(self._slots["exporters"]), set(self._slots["erasers"])
        if exporters != erasers:
            # A feature that exports data about a person must also erase it (and vice versa);
            # a mismatch is usually a misspelt name on one side.
            raise RegistryError(
                "export and erasure hooks must pair up; unpaired: "
                + ", ".join(sorted(exporters ^ erasers))
            )
        self.frozen = True


def of(app: Flask) -> Registry:
    return app.extensions[EXTENSION_KEY]


def current() -> Registry:
    """The registry of the app in the current app context."""
    return of(current_app)
