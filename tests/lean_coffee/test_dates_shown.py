"""Lean Coffee's pages, dashboard part and export show dates in the one house format, in the
reader's language and zone (issue 8; the format itself: tests/core/test_dates.py)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from peerlab.extensions import db
from peerlab.i18n import format_day, format_when
from peerlab.lean_coffee import export
from peerlab.lean_coffee.service import notes, rounds, topics
from peerlab.lean_coffee.service import summary as summary_service


def _action_for_anna(cast, now):
    topics.add_topic(cast.round, cast.anna, "Wohnraum", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    due = (now + timedelta(days=10)).date()
    notes.add_action(
        cast.round,
        cast.fac,
        cast.round.current_topic_id,
        "Bericht schreiben",
        owner_participant_id=cast.anna.id,
        due_on=due,
        now=now,
    )
    cast.anna.joined_at = now
    db.session.commit()
    return due


def test_dashboard_and_summary_show_dates_in_the_house_format(app, make_round, now, client, login):
    cast = make_round(signed_in=True)
    due = _action_for_anna(cast, now)
    anna = cast.users["anna"]
    anna.timezone = "America/New_York"
    db.session.commit()
    login(client, anna)
    dashboard = client.get("/").get_data(as_text=True)
    summary = client.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    with app.test_request_context(), force_locale("de"):
        start = format_when(cast.round.starts_at, "America/New_York")
        day = format_day(due)
    assert start in dashboard  # the round, in Anna's zone
    assert f'bis <time datetime="{due.isoformat()}">{day}</time>' in dashboard
    assert day in summary and due.strftime("%d.%m.%Y") not in summary
    assert start in summary


def test_the_export_dates_in_the_house_format_without_a_zone_id(app, make_round, now):
    cast = make_round()
    due = _action_for_anna(cast, now)
    with app.test_request_context(), force_locale("de"):
        text = export.to_markdown(summary_service.build(cast.round, now=now))
        assert f"Termin: {format_when(cast.round.starts_at)}" in text
        assert f"bis: {format_day(due)}" in text
    assert "Europe/Berlin" not in text and due.strftime("%d.%m.%Y") not in text
