"""Follow-up questions ("Nachfrage") after a date: who may send one and when, how each role
sees them, and handing one on to Lean Coffee as an anonymous topic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models import Registration
from peerlab.impulses.models_people import Question
from peerlab.impulses.service import questions, registrations, speakers
from peerlab.lean_coffee.models import Topic
from peerlab.lean_coffee.service import rounds
from tests.conftest import csrf_from
from tests.impulses.people_support import with_people


def _count() -> int:
    return db.session.scalar(select(db.func.count()).select_from(Question))


def test_before_the_start_a_question_after_the_end_a_follow_up(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    anna, impulse = cast.attendees[0], cast.impulse
    before = questions.ask(impulse, anna, "Vorher gefragt", now=now)
    after = questions.ask(impulse, anna, "  Nachher gefragt  ", now=cast.after)
    assert not questions.is_follow_up(before) and questions.is_follow_up(after)
    assert after.text == "Nachher gefragt"
    # the last moment of the week still counts, the first one after it does not
    last = impulse.ends_at + questions.FOLLOW_UP_WINDOW - timedelta(seconds=1)
    questions.ask(impulse, anna, "Gerade noch", now=last)
    with pytest.raises(InvalidInput):
        questions.ask(impulse, anna, "Zu spät", now=cast.closed)
    # during the date: neither
    with pytest.raises(InvalidInput):
        questions.ask(impulse, anna, "Mittendrin", now=impulse.starts_at + timedelta(minutes=5))
    db.session.commit()
    assert questions.may_follow_up(impulse, anna, cast.after)
    assert not questions.may_follow_up(impulse, anna, cast.closed)
    assert not questions.may_ask(impulse, anna, cast.after)
    assert questions.texts_for_speaker(impulse) == ["Vorher gefragt"]
    assert questions.texts_for_speaker(impulse, follow_ups=True) == [
        "Nachher gefragt",
        "Gerade noch",
    ]


def test_same_limits_and_only_people_with_a_place(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    anna, impulse = cast.attendees[0], cast.impulse
    for bad in ("", "   ", "\u200b", "x" * 281, "a\x00b"):
        with pytest.raises(InvalidInput):
            questions.ask(impulse, anna, bad, now=cast.after)
    # five questions before do not use up the follow-ups, and five follow-ups are the limit
    for n in range(questions.PER_PERSON):
        questions.ask(impulse, anna, f"Frage {n}", now=now)
    for n in range(questions.PER_PERSON):
        questions.ask(impulse, anna, f"Nachfrage {n}", now=cast.after)
    with pytest.raises(InvalidInput, match="Nachfragen"):
        questions.ask(impulse, anna, "Eine zu viel", now=cast.after)
    db.session.commit()
    # a confirmed place is enough (attendance not ticked); strangers, people who waited and
    # people who cancelled are refused
    questions.ask(impulse, cast.absent, "Ich war dabei, ohne Haken", now=cast.after)
    stranger = make_user(name="Fremd")
    waiter = make_user(name="Wartend")
    registrations.register(impulse, waiter, now=now)
    db.session.flush()
    db.session.execute(  # a waiting place, as if the date had been full
        update(Registration)
        .where(Registration.user_id == waiter.id)
        .values(status="waiting", confirmed_at=None)
    )
    db.session.commit()
    for person in (stranger, waiter):
        with pytest.raises(Forbidden):
            questions.ask(impulse, person, "Darf ich?", now=cast.after)
        assert not questions.may_follow_up(impulse, person, cast.after)
    # a cancelled date takes none
    impulse.cancelled_at = now
    with pytest.raises(InvalidInput):
        questions.ask(impulse, cast.absent, "Abgesagt?", now=cast.after)
    db.session.rollback()


def test_follow_up_pages_per_role(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=1)
    anna, impulse = cast.attendees[0], cast.impulse
    questions.ask(impulse, anna, "Vorab gefragt", now=now)
    db.session.commit()
    url = f"/impulse/termin/{impulse.id}/frage"
    clock.set(cast.after)
    login(client, anna)
    series_page = client.get(f"/impulse/{cast.series.id}").get_data(as_text=True)
    assert "Nachfrage stellen" in series_page and ">Frage stellen<" not in series_page
    page = client.get(url).get_data(as_text=True)
    assert "Nachfragen können anonym als Thema an eine Lean-Coffee-Runde weitergegeben" in page
    token = csrf_from(page)
    resp = client.post(url, data={"text": "x" * 400, "csrf_token": token})
    assert resp.status_code == 200 and "zu lang" in resp.get_data(as_text=True)
    assert _count() == 1
    resp = client.post(url, data={"text": "Wie ging es weiter?", "csrf_token": token})
    assert resp.status_code == 302
    mine = client.get(url).get_data(as_text=True)
    assert "<strong>Nachfrage:</strong> Wie ging es weiter?" in mine
    stranger = app.test_client()
    login(stranger, make_user(name="Fremd"))
    assert stranger.get(url).status_code == 403
    assert stranger.post(url, data={"text": "Hallo"}).status_code in (400, 403)
    # the organizer sees the follow-up marked, with the asker's name
    orga = app.test_client()
    login(orga, cast.orga)
    listing = orga.get(f"/impulse/termin/{impulse.id}/fragen").get_data(as_text=True)
    assert "<strong>Nachfrage:</strong> Wie ging es weiter?" in listing
    assert anna.display_name in listing and listing.count("Nachfrage:</strong>") == 1
    # speakers see it without names, apart from the questions before
    view = speakers.overview(impulse, now=cast.after)
    assert view.questions == ["Vorab gefragt"] and view.follow_ups == ["Wie ging es weiter?"]
    speaker_page = orga.get(f"/impulse/termin/{impulse.id}/referent").get_data(as_text=True)
    assert "Wie ging es weiter?" in speaker_page and anna.display_name not in speaker_page
    # after the week: the form is gone, a post changes nothing
    clock.set(cast.closed)
    page = client.get(url).get_data(as_text=True)
    assert "Nachfragen bis 7 Tage nach seinem Ende" in page and 'name="text"' not in page
    resp = client.post(url, data={"text": "Noch eine", "csrf_token": csrf_from(page)})
    assert resp.status_code == 200 and _count() == 2


def test_hand_on_a_follow_up(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=1)
    anna, impulse = cast.attendees[0], cast.impulse
    short = questions.ask(impulse, anna, "Gibt es die Folien?", now=cast.after)
    long_one = questions.ask(impulse, anna, "Lang " * 40, now=cast.after)
    db.session.commit()
    clock.set(cast.after)
    rnd = rounds.create_round(
        rounds.RoundSettings(title="Offene Runde", starts_at=cast.after + timedelta(days=2)),
        creator=cast.orga,
        invitees=[],
        now=cast.after,
    )
    db.session.commit()
    login(client, cast.orga)
    page = client.get(f"/impulse/termin/{impulse.id}/fragen").get_data(as_text=True)
    token = csrf_from(page)
    for question in (short, long_one):
        resp = client.post(
            f"/impulse/frage/{question.id}/weitergeben",
            data={"runde": str(rnd.id), "csrf_token": token},
        )
        assert resp.status_code == 302
    made = db.session.scalars(
        select(Topic).where(Topic.round_id == rnd.id).order_by(Topic.id)
    ).all()
    assert made[0].title == "Gibt es die Folien?"
    assert made[1].title.startswith("Nachfrage zum Kurzimpuls")
    assert made[1].detail.startswith("Lang")
    for topic in made:
        assert topic.is_anonymous and topic.author_id is None
        assert anna.display_name not in f"{topic.title} {topic.detail}"
    db.session.refresh(short)
    assert short.handed_on_at is not None and short.handed_round_id == rnd.id
