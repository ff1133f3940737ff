"""A group's owner downloads their own posts and ends the group in the browser: the download
link on the group page gives a Markdown file with the post, the end asks for a confirmation
naming the consequence, and afterwards the group page is 404. Phone and laptop, `check_page`
on every page. PEERLAB_SHOTS=<folder> keeps full-page screenshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import sign_in
from tests.e2e.test_groups import _path, _shot

pytestmark = pytest.mark.browser


def test_download_own_posts_then_end_the_group(visitor, live_users, window):
    anna = live_users.create("member", name="Anna Amsel")
    person = visitor(**window)
    sign_in(person, anna)
    page = person.goto("/gruppen/neu")
    main = page.locator("main")
    main.get_by_label("Name der Gruppe").fill("Runde zum Beenden")
    main.get_by_label("mit meinem Namen").check()
    main.get_by_label("Ich halte mich an die Vertraulichkeitsregel dieser Gruppe.").check()
    main.get_by_role("button", name="Gruppe gründen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Runde zum Beenden")
    group_path = _path(page).replace("/mitglieder", "")

    person.goto(group_path)
    main.get_by_label("Titel").fill("Haushaltssperre")
    main.get_by_label("Ihr Beitrag").fill("Mein eigener Gedanke zur Sperre.")
    main.get_by_role("button", name="Thema beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haushaltssperre")

    person.goto(group_path)
    expect(main).to_contain_text("Anonyme Beiträge sind nicht enthalten")
    person.check_page(signed_in=True)
    _shot(person, "groups-own")
    with page.expect_download() as info:
        main.locator("#link-own-download").click()
    download = info.value
    assert download.suggested_filename.startswith("peerlab-meine-beitraege-")
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "Mein eigener Gedanke zur Sperre." in text and "Haushaltssperre" in text

    main.locator("#link-end-group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("beenden")
    expect(main).to_contain_text("endgültig gelöscht")
    person.check_page(signed_in=True)
    _shot(person, "groups-end")
    main.get_by_role("button", name="Gruppe beenden und alles löschen").click()
    expect(main.locator(".kern-error").first).to_contain_text("Bitte bestätigen Sie")
    person.check_page(signed_in=True)
    main.get_by_label(re.compile("Ich habe verstanden")).check()
    main.get_by_role("button", name="Gruppe beenden und alles löschen").click()
    expect(page.locator("body")).to_contain_text("Die Gruppe ist beendet.")
    expect(page.locator("main")).not_to_contain_text("Runde zum Beenden")
    person.check_page(signed_in=True)
    person.goto(group_path, status=404)
