"""Questions before the date: who may ask, bad input, who sees names; handing a question on
to Lean Coffee as an anonymous topic through Lean Coffee's own service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models_people import Question
from peerlab.impulses.service import questions
from peerlab.lean_coffee.models import Topic
from peerlab.lean_coffee.service import rounds
from tests.conftest import csrf_from
from tests.impulses.people_support import with_people


def _round(orga, now, **settings):
    made = rounds.create_round(
        rounds.RoundSettings(title="Offene Runde", starts_at=now + timedelta(days=3), **settings),
        creator=orga,
        invitees=[],
        now=now,
    )
    db.session.commit()
    return made


def test_registered_people_ask_before_the_start(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    asked = questions.ask(cast.impulse, anna, "  Wie fange ich klein an?  ", now=now)
    assert asked.text == "Wie fange ich klein an?"
    stranger = make_user(name="Fremd")
    with pytest.raises(Forbidden):
        questions.ask(cast.impulse, stranger, "Darf ich?", now=now)
    for bad in ("", "   ", "\u200b", "x" * 281, "a\x00b"):
        with pytest.raises(InvalidInput):
            questions.ask(cast.impulse, anna, bad, now=now)
    with pytest.raises(InvalidInput):
        questions.ask(cast.impulse, anna, "Zu spät?", now=cast.impulse.starts_at)
    for n in range(questions.PER_PERSON - 1):
        questions.ask(cast.impulse, anna, f"Frage {n}", now=now)
    with pytest.raises(InvalidInput):
        questions.ask(cast.impulse, anna, "Eine zu viel", now=now)
    db.session.commit()
    assert len(questions.mine(cast.impulse, anna)) == questions.PER_PERSON
    # speakers get the texts only
    assert questions.texts_for_speaker(cast.impulse)[0] == "Wie fange ich klein an?"


def test_question_pages_per_role(app, client, make_user, login, now):
    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    url = f"/impulse/termin/{cast.impulse.id}/frage"
    assert client.get(url).status_code in (302, 401)
    stranger = app.test_client()
    login(stranger, make_user(name="Fremd"))
    assert stranger.get(url).status_code == 403
    login(client, anna)
    page = client.get(url).get_data(as_text=True)
    assert "Fragen können anonym als Thema an eine Lean-Coffee-Runde weitergegeben werden" in page
    token = csrf_from(page)
    resp = client.post(url, data={"text": "x" * 400, "csrf_token": token})
    assert resp.status_code == 200 and "zu lang" in resp.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Question)) == 0
    resp = client.post(url, data={"text": "Was kostet das?", "csrf_token": token})
    assert resp.status_code == 302
    assert "Frage stellen" in client.get(f"/impulse/{cast.series.id}").get_data(as_text=True)
    # the organizer sees who asked; another organizer and the asker do not get the list
    orga = app.test_client()
    login(orga, cast.orga)
    listing = orga.get(f"/impulse/termin/{cast.impulse.id}/fragen").get_data(as_text=True)
    assert "Was kostet das?" in listing and anna.display_name in listing
    other = app.test_client()
    login(other, make_user("organizer"))
    assert other.get(f"/impulse/termin/{cast.impulse.id}/fragen").status_code == 403
    assert client.get(f"/impulse/termin/{cast.impulse.id}/fragen").status_code == 403


def test_hand_on_as_an_anonymous_topic(app, client, make_user, login, now):
    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    question = questions.ask(cast.impulse, anna, "Wie messen wir Wirkung?", now=now)
    long_one = questions.ask(cast.impulse, anna, "Lang " * 40, now=now)
    db.session.commit()
    rnd = _round(cast.orga, now)
    grouped = _round(cast.orga, now)
    grouped.group_id = 7  # a round inside a group is never offered
    closed_to_anonymous = _round(cast.orga, now, anonymous_allowed=False)
    someone_elses = _round(make_user("organizer"), now)
    db.session.commit()
    assert [r.id for r in questions.handover_rounds(cast.orga)] == [rnd.id]
    for round_id in (grouped.id, closed_to_anonymous.id, someone_elses.id, 999999):
        with pytest.raises(InvalidInput):
            questions.hand_on(question, round_id, actor=cast.orga, now=now)
        db.session.rollback()
    with pytest.raises(Forbidden):
        questions.hand_on(question, rnd.id, actor=make_user("organizer"), now=now)

    login(client, cast.orga)
    page = client.get(f"/impulse/termin/{cast.impulse.id}/fragen").get_data(as_text=True)
    assert page.count(f'<option value="{rnd.id}">') == 2  # one select per question
    assert f'<option value="{grouped.id}">' not in page
    token = csrf_from(page)
    bad = client.post(
        f"/impulse/frage/{question.id}/weitergeben", data={"runde": "abc", "csrf_token": token}
    )
    assert bad.status_code == 302
    resp = client.post(
        f"/impulse/frage/{question.id}/weitergeben",
        data={"runde": str(rnd.id), "csrf_token": token},
    )
    assert resp.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.round_id == rnd.id))
    assert topic.title == "Wie messen wir Wirkung?"
    assert topic.is_anonymous and topic.author_id is None
    client.post(
        f"/impulse/frage/{long_one.id}/weitergeben",
        data={"runde": str(rnd.id), "csrf_token": token},
    )
    long_topic = db.session.scalars(select(Topic).order_by(Topic.id.desc())).first()
    assert long_topic.title.startswith("Frage zum Kurzimpuls") and long_topic.detail.startswith(
        "Lang"
    )
    # once only
    again = client.post(
        f"/impulse/frage/{question.id}/weitergeben",
        data={"runde": str(rnd.id), "csrf_token": token},
    )
    assert again.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Topic)) == 2
    assert "An Lean Coffee weitergegeben" in client.get(
        f"/impulse/termin/{cast.impulse.id}/fragen"
    ).get_data(as_text=True)
    for text_ in (topic.title, topic.detail, long_topic.detail):
        assert anna.display_name not in text_


def test_export_and_erasure_cover_questions(app, make_user, now):
    from peerlab.impulses import integration

    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    questions.ask(cast.impulse, anna, "Meine eigene Frage", now=now)
    db.session.commit()
    exported = integration.export_user(anna)
    assert [q["text"] for q in exported["questions"]] == ["Meine eigene Frage"]
    integration.erase_user(anna, keep_content=False, now=now)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Question)) == 0
