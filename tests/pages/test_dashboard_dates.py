"""The dashboard lists the next DATES_SHOWN dates, soonest first, and says that more are in the
calendar only when there are more."""

from __future__ import annotations

import re

from peerlab.pages.dashboard import DATES_SHOWN
from tests.ical.test_page_query_counts import add_rounds


def shown(http) -> tuple[list[str], bool]:
    page = http.get("/").get_data(as_text=True)
    section = page.split('id="einladungen"')[0]
    return re.findall(r">(Runde \d+)</a>", section), "Weitere Termine stehen" in section


def test_the_dashboard_shows_the_next_dates_and_points_to_the_calendar(app, now, make_user, login):
    uta = make_user(name="Uta")
    uta_id = uta.id
    http = app.test_client()
    login(http, uta)
    add_rounds(uta_id, now, DATES_SHOWN)
    titles, more = shown(http)
    assert len(titles) == DATES_SHOWN and not more
    last = f"Runde {DATES_SHOWN - 1}"
    assert titles[-1] == last
    add_rounds(uta_id, now, 3)  # three more, at the times of the first three
    titles, more = shown(http)
    assert len(titles) == DATES_SHOWN and more
    assert last not in titles and titles[:2] == ["Runde 0", "Runde 0"]
