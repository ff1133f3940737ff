"""The feature contract: registrations live on the app, are frozen at startup, fail early."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from peerlab.core import due, registry
from peerlab.core.registry import LandingCard, NavEntry, RegistryError, RegistryFrozen
from peerlab.pages import dashboard, nav
from peerlab.pages.dashboard import DashboardPart, TodoItem
from tests.conftest import make_app


class Feature:
    """A test feature: whatever `setup(app, registry)` does in its init_app."""

    def __init__(self, setup) -> None:
        self.setup = setup

    def init_app(self, app, reg) -> None:
        self.setup(app, reg)


class Source:
    kind = "test.date"

    def event(self, subject_id: int):
        return None

    def can_view(self, subject_id: int, user) -> bool:
        return False

    def events_for(self, user, now: datetime) -> list:
        return []


def todo_part(user, now):
    return DashboardPart(todos=[TodoItem(text="Aufgabe der Testfunktion", url="/x", due=now)])


def full(app, reg) -> None:
    reg.nav_entry(NavEntry(label=lambda: "Testformat", endpoint="pages.home"))
    reg.dashboard_part("test.part", todo_part)
    reg.calendar_source(Source())
    reg.landing_card(LandingCard("test", "Testformat-Karte", "Ein Satz über das Testformat."))
    due.register("test.job", lambda now: 0)


def build(tmp_path, name: str, *features):
    return make_app(tmp_path / name, features=features)


def test_two_apps_do_not_share_registrations(tmp_path):
    person = type("Person", (), {"role": "member"})()
    with_feature = build(tmp_path, "a", Feature(full))
    without = build(tmp_path, "b")
    assert "test.date" in registry.of(with_feature).items("calendar_sources")
    assert "test.date" not in registry.of(without).items("calendar_sources")
    assert "test.job" not in registry.of(without).items("jobs")
    with with_feature.test_request_context():
        assert "Testformat" in [item.label for item in nav.items(person)]
    with without.test_request_context():
        assert "Testformat" not in [item.label for item in nav.items(person)]
        # the built-in features are there in every app
        assert {"lean_coffee", "calendar"} <= set(registry.current().items("exporters"))


def test_dashboard_pulls_the_parts_of_its_own_app(tmp_path, make_user, now):
    app = build(tmp_path, "a", Feature(full))
    with app.app_context():
        user = make_user()
        part = dashboard.collect(user, now)
    assert [t.text for t in part.todos] == ["Aufgabe der Testfunktion"]


def test_registering_after_startup_is_refused(app):
    reg = registry.current()
    with pytest.raises(RegistryFrozen):
        reg.nav_entry(NavEntry(label=lambda: "Spät", endpoint="pages.home"))
    with pytest.raises(RegistryFrozen):
        due.register("late.job", lambda now: 0)
    assert "late.job" not in due.processors()
    assert "pages.home" not in reg.items("nav_entries")


def test_consumers_cannot_change_a_slot(app):
    with pytest.raises(TypeError):
        registry.current().items("jobs")["x"] = lambda now: 0  # type: ignore[index]


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda app, reg: reg.add("dashbord_parts", "x", todo_part), "unknown registry slot"),
        (lambda app, reg: reg.exporter("lean_cofee", lambda user: {}), "unpaired: lean_cofee"),
        (lambda app, reg: reg.eraser("solo", lambda user, keep, now: None), "unpaired: solo"),
        (lambda app, reg: reg.exporter("lean_coffee", lambda user: {}), "registered twice"),
        (lambda app, reg: due.register("mail.send", lambda now: 0), "registered twice"),
        (lambda app, reg: reg.job("test.job", "not a function"), "not callable"),
        (
            lambda app, reg: reg.nav_entry(NavEntry(lambda: "X", "lean_coffee.list_rounds")),
            "registered twice",
        ),
        (
            lambda app, reg: reg.calendar_source(type("S", (Source,), {"events_for": None})()),
            "lacks",
        ),
        (
            lambda app, reg: reg.calendar_source(type("S", (Source,), {"series_kind": "s"})()),
            "series_title",
        ),
        (lambda app, reg: reg.landing_card(LandingCard("empty", "", "")), "needs a title"),
    ],
    ids=[
        "misspelt-slot",
        "exporter-without-eraser",
        "eraser-without-exporter",
        "duplicate-exporter",
        "duplicate-job",
        "job-not-callable",
        "duplicate-nav-entry",
        "source-missing-method",
        "series-missing-method",
        "empty-landing-card",
    ],
)
def test_a_wrong_registration_fails_at_startup(tmp_path, setup, message):
    with pytest.raises(RegistryError, match=message):
        build(tmp_path, "x", Feature(setup))


def test_landing_page_shows_one_card_per_registered_format(tmp_path):
    app = build(tmp_path, "a", Feature(full))
    html = app.test_client().get("/").get_data(as_text=True)
    assert "Lean-Coffee-Runden" in html
    assert "Testformat-Karte" in html and "Ein Satz über das Testformat." in html
    # one card per registered format (Lean Coffee, circles, impulse series, groups and the test
    # format); formats that do not exist yet register no card, so none is promised
    assert "Working-Out-Loud-Circles" in html and "Kurzimpuls-Reihen" in html
    assert "Vertrauliche Kleingruppen" in html and "Coaching" not in html
    assert html.count('class="kern-card pl-card"') == 5


def test_lean_coffee_card_is_translated(app):
    card = registry.current().get("landing_cards", "lean_coffee")
    with app.test_request_context(), force_locale("en"):
        assert str(card.title) == "Lean Coffee rounds"
        assert str(card.description).startswith("One hour, no fixed agenda")
    assert str(_l("Formate")) == "Formate"


def test_demo_data_comes_from_the_seeders_of_the_app(tmp_path):
    calls = []

    def seeding(app, reg):
        reg.demo_seeder("test", lambda users, now: calls.append(sorted(users)))

    app = build(tmp_path, "a", Feature(seeding))
    from peerlab import demo

    with app.app_context():
        assert demo.load() is True
    assert calls and "orga@peerlab.example" in calls[0]


def test_core_imports_no_feature_package():
    """Features register into core; core (registry, shared helpers, agenda) never reaches back."""
    import ast
    from pathlib import Path

    import peerlab.core

    features = ("accounts", "notify", "pages", "ical", "lean_coffee", "circles", "demo")
    pending: set[str] = set()
    offenders = []
    for path in Path(peerlab.core.__file__).parent.rglob("*.py"):
        if path.name in pending:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if any(name.startswith(f"peerlab.{f}") for f in features)
            ]
    assert offenders == []


def test_dashboard_shows_the_registered_format_cards(client, make_user, login):
    login(client, make_user())
    html = client.get("/").get_data(as_text=True)
    assert "Lean-Coffee-Runden" in html and "Working-Out-Loud-Circles" in html
    assert "Kurzimpuls-Reihen" in html and "Vertrauliche Kleingruppen" in html
    assert html.count('class="kern-card pl-card"') == 4
