"""The guest marker is the reader's language, not a German literal in the payload: payloads
carry the plain name and a `guest` flag; the summary page, the Markdown export and the summary
mail add "(Gast)" or "(guest)" with gettext (issue 8)."""

from __future__ import annotations

import json
from email import message_from_bytes
from email.policy import default

from flask_babel import force_locale

from peerlab.extensions import db
from peerlab.lean_coffee import export, payloads
from peerlab.lean_coffee.service import mailing, notes, rounds, topics
from peerlab.lean_coffee.service import summary as summary_service
from peerlab.notify.models import OutboxMail
from tests.lean_coffee.test_guest_names import discussing, guest_in


def _text(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=default)
    return " ".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


def _round_with_guests(cast, now):
    """Gerda shows her name on a topic; Hugo never does. Both own an action item."""
    gerda = guest_in(cast, now, name="Gerda Geheim")
    hugo = guest_in(cast, now, name="Hugo Heimlich")
    topics.add_topic(cast.round, gerda, "Von Gerda", now=now)
    topic = discussing(cast, now)
    for owner, what in ((gerda, "Gerdas Aufgabe"), (hugo, "Hugos Aufgabe")):
        notes.add_action(
            cast.round, cast.anna, topic.id, what, owner_participant_id=owner.id, now=now
        )
    db.session.commit()
    return gerda, hugo


def test_the_payload_carries_no_german_guest_marker(app, make_round, now):
    cast = make_round()
    _round_with_guests(cast, now)
    text = json.dumps(payloads.snapshot(cast.round, now), ensure_ascii=False)
    assert "(Gast)" not in text and '"Gast"' not in text
    assert "Heimlich" not in text
    actions = [a for t in payloads.snapshot(cast.round, now)["topics"] for a in t["actions"]]
    assert [(a["owner"], a["owner_guest"]) for a in actions] == [
        ("Gerda Geheim", True),
        (None, True),
    ]
    assert payloads.PROTOCOL == 3


def test_a_guests_own_state_has_the_plain_name_and_the_flag(app, make_round, now):
    cast = make_round()
    gerda, _hugo = _round_with_guests(cast, now)
    me = payloads.me(cast.round, gerda)
    assert (me["name"], me["is_guest"]) == ("Gerda Geheim", True)


def test_an_english_summary_export_and_mail_say_guest(app, make_round, now):
    cast = make_round()
    _round_with_guests(cast, now)
    result = summary_service.build(cast.round, now=now)
    with force_locale("en"):
        markdown = export.to_markdown(result)
    assert "Gerda Geheim (guest)" in markdown
    assert "Hugos Aufgabe · who: guest" in markdown
    assert "Gast" not in markdown and "Heimlich" not in markdown
    with force_locale("de"):
        german = export.to_markdown(result)
    assert "Gerda Geheim (Gast)" in german and "Hugos Aufgabe · wer: Gast" in german

    cast.users["anna"].language = "en"
    for person in (cast.fac, cast.anna, cast.ben):
        person.joined_at = now
    rounds.advance_phase(cast.round, "wrapup", now=now)
    mailing.mail_summary(cast.round, now=now)
    mail = next(
        _text(m.raw) for m in db.session.query(OutboxMail) if m.to_addr == cast.users["anna"].email
    )
    assert "Gerda Geheim (guest)" in mail and "(Gast)" not in mail


def test_the_english_summary_page_says_guest(app, make_round, now, client, login):
    cast = make_round(signed_in=True)
    _round_with_guests(cast, now)
    cast.users["anna"].language = "en"
    db.session.commit()
    login(client, cast.users["anna"])
    page = client.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    assert "wer:" not in page
    assert "Gerda Geheim (guest)" in page
    assert "Heimlich" not in page and "(Gast)" not in page
