"""The digest setting on the profile page and the anonymity page, in a real browser at phone
and laptop size: accessible, operable by keyboard, and screenshots for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_focus_visible, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("PEERLAB_SHOTS", "/tmp/shots-confid"))


def _shot(person, name: str, window: dict) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = window["width"]
    person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_digest_setting_on_the_profile_page(visitor, live_users, window):
    user = live_users.create("member")
    person = visitor(**window)
    sign_in(person, user)
    page = person.goto("/konto#digest")
    form = page.locator("#digest-form")
    box = form.get_by_label("Tägliche E-Mail „Neues in peerlab“ erhalten")
    expect(box).to_be_checked()
    expect(form.get_by_label("Uhrzeit")).to_have_value("8")
    person.check_page(signed_in=True)
    assert_focus_visible(page)
    page.locator("#digest").scroll_into_view_if_needed()
    _shot(person, "profile-digest", window)

    box.uncheck()
    form.get_by_label("Uhrzeit").select_option("7")
    form.get_by_role("button", name="Einstellung speichern").click()
    expect(page.get_by_text("ist ausgeschaltet")).to_be_visible()
    expect(page.locator("#digest-form").get_by_label("Uhrzeit")).to_have_value("7")
    expect(page.locator("#digest-form").get_by_role("checkbox")).not_to_be_checked()
    person.check_page(signed_in=True)
    _shot(person, "profile-digest-saved", window)


def test_anonymity_page(visitor, window):
    person = visitor(**window)
    page = person.goto("/anonymitaet")
    expect(page.get_by_role("heading", name="Wer könnte was wieder verknüpfen?")).to_be_visible()
    person.check_page()
    _shot(person, "anonymity", window)
