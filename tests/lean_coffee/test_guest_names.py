"""A guest's name appears only where the guest showed it, always marked as a guest (payloads:
the plain name and `guest: true`; pages, exports and mails: "(Gast)" / "(guest)" in the
reader's language); titles that show nothing or carry NUL are refused."""

from __future__ import annotations

import json

import pytest

from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.lean_coffee import export, payloads
from peerlab.lean_coffee.models import ActionItem, Topic
from peerlab.lean_coffee.service import mailing, notes, rounds, topics
from peerlab.lean_coffee.service import summary as summary_service
from peerlab.notify.models import OutboxMail


def guest_in(cast, now, name="Gerda Geheim"):
    guest, _secret = rounds.create_guest(cast.round, name, now=now)
    participant = rounds.ensure_participant(cast.round, guest=guest, now=now)
    participant.joined_at = now
    return participant


def discussing(cast, now) -> Topic:
    """Start the discussion; returns the topic now in the middle."""
    topics.add_topic(cast.round, cast.anna, "Wohnraum", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    return db.session.get(Topic, cast.round.current_topic_id)


def everything_shown(cast, now) -> str:
    """Snapshot, summary, Markdown export and summary mails of the round, as one text."""
    rnd = cast.round
    for person in (cast.fac, cast.anna, cast.ben):
        person.joined_at = now
    rounds.advance_phase(rnd, "wrapup", now=now)
    snapshot = json.dumps(payloads.snapshot(rnd, now), ensure_ascii=False)
    result = summary_service.build(rnd, now=now)
    markdown = export.to_markdown(result)
    mailing.mail_summary(rnd, now=now)
    mails = " ".join(m.raw.decode("utf-8", "replace") for m in db.session.query(OutboxMail))
    owners = " ".join(
        str(a.owner) for t in result.discussed + result.undiscussed for a in t.actions
    )
    return " ".join([snapshot, markdown, mails, owners])


def test_naming_a_guest_as_owner_does_not_publish_the_guest_name(app, make_round, now):
    cast = make_round()
    gerda = guest_in(cast, now)
    topic = discussing(cast, now)
    item = notes.add_action(
        cast.round, cast.anna, topic.id, "Bericht schreiben", owner_participant_id=gerda.id, now=now
    )
    db.session.commit()
    stored = db.session.get(ActionItem, item.id)
    assert stored.owner_participant_id == gerda.id and stored.owner_name == ""
    shown = everything_shown(cast, now)
    assert "Geheim" not in shown
    assert '"owner": null, "owner_guest": true' in shown
    assert "Bericht schreiben · wer: Gast" in shown  # the Markdown export names only "Gast"


def test_a_guest_who_showed_the_name_on_a_topic_is_named_with_the_marker(app, make_round, now):
    cast = make_round()
    gerda = guest_in(cast, now)
    topics.add_topic(cast.round, gerda, "Eigenes Thema", now=now)  # not anonymous
    topic = discussing(cast, now)
    notes.add_action(
        cast.round, cast.ben, topic.id, "Termin finden", owner_participant_id=gerda.id, now=now
    )
    db.session.commit()
    data = payloads.snapshot(cast.round, now)
    owners = [(a["owner"], a["owner_guest"]) for t in data["topics"] for a in t["actions"]]
    authors = [t["author"] for t in data["topics"] if t["author"]]
    assert owners == [("Gerda Geheim", True)]
    assert {"participant_id": gerda.id, "name": "Gerda Geheim", "guest": True} in authors
    lines = summary_service.build(cast.round, now=now).discussed[0].actions
    assert [line.owner_label for line in lines] == ["Gerda Geheim (Gast)"]


def test_an_anonymous_topic_does_not_count_as_showing_the_name(app, make_round, now):
    cast = make_round()
    gerda = guest_in(cast, now)
    topics.add_topic(cast.round, gerda, "Heimlich", anonymous=True, now=now)
    topic = discussing(cast, now)
    notes.add_action(
        cast.round, cast.ben, topic.id, "Termin finden", owner_participant_id=gerda.id, now=now
    )
    db.session.commit()
    assert "Geheim" not in json.dumps(payloads.snapshot(cast.round, now), ensure_ascii=False)


def test_a_guest_with_a_members_exact_name_is_marked_as_guest(app, make_round, now):
    cast = make_round()
    copycat = guest_in(cast, now, name="Anna Amsel")
    topics.add_topic(cast.round, copycat, "Von der echten Anna?", now=now)
    topics.add_topic(cast.round, cast.anna, "Wirklich von Anna", now=now)
    db.session.commit()
    data = payloads.snapshot(cast.round, now)
    names = {t["title"]: (t["author"]["name"], t["author"]["guest"]) for t in data["topics"]}
    assert names == {
        "Von der echten Anna?": ("Anna Amsel", True),
        "Wirklich von Anna": ("Anna Amsel", False),
    }


@pytest.mark.parametrize(
    "title",
    [
        "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
        "\u2060\ufeff",  # word joiner, zero-width no-break space
        "\u202e\u200e ",  # direction marks and a space
        "\x00",
        "Thema\x00",
        "\u00ad",  # soft hyphen (a format character)
    ],
)
def test_titles_that_show_nothing_or_carry_nul_are_refused(app, make_round, now, title):
    cast = make_round()
    with pytest.raises(InvalidInput) as err:
        topics.add_topic(cast.round, cast.anna, title, now=now)
    assert err.value.message and err.value.code in ("invisible_text", "bad_text")
    db.session.rollback()
    assert db.session.query(Topic).count() == 0


def test_a_title_with_a_zero_width_joiner_inside_visible_text_is_fine(app, make_round, now):
    cast = make_round()
    topic = topics.add_topic(cast.round, cast.anna, "Fami\u200dlie 👩\u200d👧", now=now)
    assert topic.title.startswith("Fami")


def test_edit_and_notes_refuse_invisible_text_too(app, make_round, now):
    cast = make_round()
    topic = topics.add_topic(cast.round, cast.anna, "Sichtbar", now=now)
    with pytest.raises(InvalidInput):
        topics.edit_topic(cast.round, cast.anna, topic.id, "\u200b")
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)
    with pytest.raises(InvalidInput):
        notes.add_takeaway(cast.round, cast.anna, topic.id, "\u200b\u2060", now=now)
    with pytest.raises(InvalidInput):
        notes.add_action(cast.round, cast.anna, topic.id, "Tun\x00", now=now)
