"""Plain words on account pages (issue 8): the time zone is chosen by name in the reader's
language, common zones first, values stay IANA ids; one member's role reads "Teilnahme"; the
calendar's two subscription links are named by their use."""

from __future__ import annotations

import re

from peerlab.extensions import db


def _options(html: str) -> list[tuple[str, str, str]]:
    """(group, value, label) of the time-zone select."""
    select = re.search(r'<select[^>]*id="timezone".*?</select>', html, re.S).group(0)
    found, group = [], ""
    for m in re.finditer(
        r'<optgroup label="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*>([^<]*)<', select
    ):
        if m.group(1) is not None:
            group = m.group(1)
        else:
            found.append((group, m.group(2), m.group(3)))
    return found


def test_the_time_zone_is_chosen_by_name_common_ones_first(app, client, login, make_user):
    user = make_user()
    user.timezone = "America/New_York"
    db.session.commit()
    login(client, user)
    options = _options(client.get("/konto").get_data(as_text=True))
    assert options[0] == ("Häufig gewählt", "Europe/Berlin", "Deutschland (Berlin)")
    assert ("Häufig gewählt", "Europe/Vienna", "Österreich") in options
    labels = {value: label for _group, value, label in options}
    assert labels["America/New_York"] == "Vereinigte Staaten (New York)"
    assert labels["UTC"] == "UTC"
    assert not any("/" in label or "_" in label for label in labels.values())
    assert 300 < len(options) < 600  # every place once, old aliases left out
    page = client.get("/konto").get_data(as_text=True)
    assert '<option selected value="America/New_York">' in page


def test_saving_the_profile_keeps_the_chosen_zone(app, client, login, make_user):
    user = make_user()
    login(client, user)
    page = client.get("/konto").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    resp = client.post(
        "/konto",
        data={
            "csrf_token": token,
            "name": user.name,
            "language": "de",
            "timezone": "Europe/Vienna",
        },
    )
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.timezone == "Europe/Vienna"


def test_a_members_role_reads_teilnahme(app, client, login, make_user):
    make_user(name="Mia Mitglied")
    admin = make_user("admin")
    login(client, admin)
    page = client.get("/verwaltung/personen").get_data(as_text=True)
    assert "Teilnahme" in page and "Teilnehmende" not in page


def test_calendar_links_are_named_by_their_use(app, client, login, make_user):
    login(client, make_user())
    page = client.get("/kalender/").get_data(as_text=True)
    if "Abo-Link erstellen" in page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/kalender/feed/neu", data={"csrf_token": token})
        page = client.get("/kalender/").get_data(as_text=True)
    assert "Für Outlook im Web und Google Kalender" in page
    assert "In Ihrem Kalenderprogramm öffnen" in page
    assert "webcal, " not in page and "(https" not in page


def test_german_account_pages_use_no_technical_names(app, client, login, make_user):
    login(client, make_user())
    for path in ("/", "/konto", "/konto/loeschen", "/datenschutz", "/kalender/", "/anonymitaet"):
        html = client.get(path).get_data(as_text=True)
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        words = re.sub(r"<[^>]+>", " ", main)
        for jargon in ("JSON", "Markdown", "Europe/Berlin", "webcal", "https,"):
            assert jargon not in words, (path, jargon)
