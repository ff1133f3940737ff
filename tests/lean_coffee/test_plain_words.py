"""Plain German on the pages around a round (issue 8): no "Markdown", no "Europe/Berlin",
"Punkte" for dots, "Teilnahme" as one person's role, calendar links named by use, the time
zone picked by name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from peerlab.core.errors import BudgetExhausted
from peerlab.extensions import db
from peerlab.lean_coffee.service import mailing, rounds, topics, votes
from peerlab.notify.models import OutboxMail
from tests.lean_coffee.test_guest_marker import _text


def _visible(html: str) -> str:
    """The page's words, without tags and attributes (URLs may keep technical names)."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_round_pages_speak_plainly(app, make_round, now, client, login):
    cast = make_round(signed_in=True)
    login(client, cast.users["orga"])
    rid = cast.round.id
    form = _visible(client.get("/runden/neu").get_data(as_text=True))
    assert "Europe/Berlin" not in form and "Stimmen pro Person" not in form
    assert "Beginn (Uhrzeit in Deutschland)" in form and "Punkte pro Person" in form
    board = _visible(client.get(f"/runden/{rid}").get_data(as_text=True))
    summary = _visible(client.get(f"/runden/{rid}/zusammenfassung").get_data(as_text=True))
    for page in (board, summary):
        assert "Markdown" not in page
    assert "Zusammenfassung als Textdatei" in board
    assert "Als Textdatei herunterladen" in summary


def test_dots_are_punkte_in_the_summary_and_its_mail(app, make_round, now, client, login):
    cast = make_round(signed_in=True)
    topic = topics.add_topic(cast.round, cast.anna, "Wohnraum", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    votes.cast_vote(cast.round, cast.ben, topic.id)
    rounds.advance_phase(cast.round, "discuss", now=now + timedelta(minutes=1))
    rounds.advance_phase(cast.round, "wrapup", now=now + timedelta(minutes=2))
    cast.ben.joined_at = now
    mailing.mail_summary(cast.round, now=now + timedelta(minutes=3))
    db.session.commit()
    mail = _text(db.session.query(OutboxMail).one().raw)
    assert "Wohnraum (1 Punkt)" in mail and "Stimme" not in mail
    login(client, cast.users["ben"])
    summary = client.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    assert "Punkte: 1" in summary and "Stimmen" not in summary


def test_running_out_of_dots_says_punkte(app, make_round, now):
    cast = make_round(vote_budget=1)
    first = topics.add_topic(cast.round, cast.anna, "Eins", now=now)
    second = topics.add_topic(cast.round, cast.anna, "Zwei", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    votes.cast_vote(cast.round, cast.ben, first.id)
    with pytest.raises(BudgetExhausted) as err:
        votes.cast_vote(cast.round, cast.ben, second.id)
    assert str(err.value.message) == "Sie haben keine Punkte mehr übrig."


def test_english_says_dots_wherever_german_says_punkte():
    """One word in each language: the board's English says "dots", so the summary, the round
    form, the errors and the anonymity page do too (not "votes"; "vote with dots" is the verb)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "peerlab" / "translations" / "src"
    mixed = []
    for po in sorted(root.glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                texts = message.string if isinstance(message.string, tuple) else (message.string,)
                if any("Punkt" in i for i in ids) and any(
                    re.search(r"\bvotes\b|d vote\b", t, re.I) for t in texts
                ):
                    mixed.append((po.name, ids[0][:60], texts[0][:60]))
    assert not mixed, f"'Punkte' translated as votes: {mixed}"


def test_the_discussion_hint_names_no_place_on_the_board(app, make_round, now, client, login):
    """The current topic comes first (at the top on a phone, on the left on a desktop): the
    phase sentence says "das aktuelle Thema", not "das Thema in der Mitte"."""
    cast = make_round(signed_in=True)
    topics.add_topic(cast.round, cast.anna, "Wohnraum", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now + timedelta(minutes=1))
    db.session.commit()
    assert "in der Mitte" not in rounds.phase_hint("discuss")
    login(client, cast.users["ben"])
    board = _visible(client.get(f"/runden/{cast.round.id}").get_data(as_text=True))
    assert "Sprechen Sie über das aktuelle Thema." in board and "in der Mitte" not in board
