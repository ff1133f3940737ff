"""The admin page of failed background work in a real browser: accessible in German and
English, on a wide screen and a phone, and "Erneut versuchen" starts the item again."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from peerlab.core import due
from peerlab.extensions import db
from tests.e2e.harness import server_time, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ["PEERLAB_SHOTS"]) if os.environ.get("PEERLAB_SHOTS") else None


def _shoot(page, name: str) -> None:
    """A full-page screenshot when PEERLAB_SHOTS names a folder (to look at, not asserted)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def _given_up(live_users, base_url: str, n: int) -> list[int]:
    """`n` items of a known kind given up after five attempts (written into the live database)."""
    now = server_time(base_url)
    ids = []
    with live_users.app_context():
        for i in range(n):
            item = due.schedule(
                "lean_coffee.roman_close",
                due_at=now - timedelta(minutes=30 + i),
                now=now - timedelta(hours=1),
                subject=("lean_coffee.round", 990_000 + i),
                payload={"vote_id": 990_000 + i},
            )
            item.attempts = 5
            item.last_error = "OperationalError: database is locked " + "(lange Meldung) " * 20
            item.failed_at = now - timedelta(minutes=5 + i)
            ids.append(item.id)
        db.session.commit()
        db.session.remove()
    return ids


@pytest.mark.parametrize(("width", "language"), [(1366, "de"), (390, "de"), (390, "en")])
def test_admin_sees_failed_items_and_starts_one_again(visitor, live_users, live, width, language):
    first, second = _given_up(live_users, live.url, 2)
    admin = live_users.create("admin")
    boss = visitor(width=width, height=900)
    sign_in(boss, admin)
    page = boss.goto("/verwaltung/personen")
    if language == "en":  # the header's language switch (in the menu on a phone)
        boss.open_menu()
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    link = "Fehlgeschlagene Aufgaben" if language == "de" else "Failed tasks"
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)
    item = page.locator(f"#job-{first}")
    expect(item).to_contain_text("lean_coffee.roman_close")
    expect(item).to_contain_text("OperationalError: database is locked")
    boss.check_page(signed_in=True)
    _shoot(page, f"failed-jobs-{width}-{language}.png")

    again = "Erneut versuchen" if language == "de" else "Try again"
    item.get_by_role("button", name=again).click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.locator(f"#job-{first}")).to_have_count(0)
    expect(page.locator(f"#job-{second}")).to_have_count(1)
    boss.check_page(signed_in=True)
    _shoot(page, f"failed-jobs-{width}-{language}-retried.png")
    with live_users.app_context():
        row = db.session.get(due.DueItem, first)
        assert row.failed_at is None and row.attempts == 0
        db.session.remove()


def test_members_get_403_on_the_page(visitor, live_users):
    member = live_users.create("member")
    person = visitor()
    sign_in(person, member)
    person.goto("/verwaltung/aufgaben", status=403)
    expect(person.page.get_by_role("heading", level=1)).to_be_visible()
    person.check_page(signed_in=True)
