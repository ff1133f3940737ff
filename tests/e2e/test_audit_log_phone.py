"""The audit log on a phone: its wide table scrolls inside its own box, and the keyboard can
scroll that box too (axe: scrollable-region-focusable)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import WINDOWS, server_time, sign_in

pytestmark = pytest.mark.browser


def test_a_wide_audit_log_scrolls_by_keyboard_on_a_phone(visitor, live_users):
    from peerlab.accounts import service
    from peerlab.accounts.models import User
    from peerlab.extensions import db

    admin = live_users.create("admin")
    member = live_users.create("member")
    now = server_time(live_users.base_url)  # before the session reads (SQLite locks)
    with live_users.app_context():
        service.audit(
            actor=db.session.get(User, admin.id),
            action="due_retry",
            target=db.session.get(User, member.id),
            now=now,
            kind="lean_coffee.roman_close_after_the_timebox_of_a_topic_expired",
        )
        db.session.commit()
        db.session.remove()
    person = visitor(**WINDOWS["phone"])
    sign_in(person, admin)
    page = person.goto("/verwaltung/protokoll")
    wrap = page.locator("main .pl-table-wrap")
    assert wrap.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the table fits: no test"
    person.check_page(signed_in=True)
    box = page.get_by_role("region", name="Einträge")
    box.focus()
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
