"""Speakers: members and guests, the guest's personal link (valid, revoked, wrong, renewed),
who sees the speaker page, counts only, questions without names, results by the rules."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.impulses.models_people import Speaker
from peerlab.impulses.service import feedback, questions, speakers
from peerlab.notify import sender
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from
from tests.impulses.conftest import make_series, quick_user
from tests.impulses.people_support import with_people


def _link_path(speaker) -> str:
    return "/" + speakers.link_url(speaker).split("/", 3)[3]


def test_assign_members_and_guests_with_clear_errors(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    member = make_user(name="Mona Mitglied")
    made = speakers.add_member(cast.impulse, member.email.upper(), actor=cast.orga, now=now)
    guest = speakers.add_guest(
        cast.impulse, "  Gerda   Gast ", "Gerda@Example.org", actor=cast.orga, now=now
    )
    db.session.commit()
    assert made.display_name == "Mona Mitglied" and guest.display_name == "Gerda Gast"
    assert guest.email == "gerda@example.org" and speakers.link_token(made) is None
    for call in (
        lambda: speakers.add_member(cast.impulse, member.email, actor=cast.orga, now=now),
        lambda: speakers.add_member(cast.impulse, "niemand@x.example", actor=cast.orga, now=now),
        lambda: speakers.add_guest(cast.impulse, "", "a@b.example", actor=cast.orga, now=now),
        lambda: speakers.add_guest(cast.impulse, "N", "kein-mail", actor=cast.orga, now=now),
        lambda: speakers.add_guest(
            cast.impulse, "x" * 121, "a@b.example", actor=cast.orga, now=now
        ),
        lambda: speakers.add_guest(
            cast.impulse, "G", "GERDA@example.org", actor=cast.orga, now=now
        ),
    ):
        with pytest.raises(InvalidInput):
            call()
        db.session.rollback()
    with pytest.raises(Forbidden):
        speakers.add_guest(cast.impulse, "G", "g@x.example", actor=member, now=now)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Speaker)) == 2
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "impulses_speaker"))
    assert sorted(m.to_addr for m in mails) == ["gerda@example.org", member.email]


def test_speakers_appear_on_the_public_series_page(app, client, make_user, now):
    cast = with_people(now, make_user, attendees=1, audience="public")
    speakers.add_guest(cast.impulse, "Gerda Gast", "gerda@example.org", actor=cast.orga, now=now)
    db.session.commit()
    html = client.get(f"/impulse/{cast.series.id}").get_data(as_text=True)
    assert "Mit Gerda Gast" in html and "gerda@example.org" not in html


def test_the_guest_link_valid_wrong_revoked_renewed(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=2)
    guest = speakers.add_guest(
        cast.impulse, "Gerda Gast", "g@example.org", actor=cast.orga, now=now
    )
    questions.ask(cast.impulse, cast.attendees[0], "Wie starten wir?", now=now)
    db.session.commit()
    path = _link_path(guest)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "3 Plätze bestätigt" in html and "Wie starten wir?" in html
    for person in [*cast.attendees, cast.absent]:  # counts only, never names
        assert person.display_name not in html and person.email not in html
    assert "Die Ergebnisse erscheinen" in html
    assert client.get(path[:-1] + ("0" if path[-1] != "0" else "1")).status_code == 404
    assert client.get(f"/impulse/referent/{guest.id}/{'a' * 500}").status_code == 404
    assert client.get(f"/impulse/referent/999999/{path.rsplit('/', 1)[1]}").status_code == 404

    login(client, cast.orga)
    manage = client.get(f"/impulse/termin/{cast.impulse.id}/referierende")
    token = csrf_from(manage.get_data(as_text=True))
    client.post(f"/impulse/referent/{guest.id}/link-sperren", data={"csrf_token": token})
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 404
    client.post(f"/impulse/referent/{guest.id}/link-neu", data={"csrf_token": token})
    db.session.expire_all()
    new_path = _link_path(db.session.get(Speaker, guest.id))
    assert new_path != path
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(new_path).status_code == 200
    other = app.test_client()
    login(other, make_user("organizer"))
    for action in ("link-sperren", "link-neu", "entfernen"):
        resp = other.post(f"/impulse/referent/{guest.id}/{action}", data={"csrf_token": token})
        assert resp.status_code in (400, 403)
    assert anonymous.get(new_path).status_code == 200
    client.post(f"/impulse/referent/{guest.id}/entfernen", data={"csrf_token": token})
    assert anonymous.get(new_path).status_code == 404


def test_speaker_page_per_role(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=5)
    mona = make_user(name="Mona Mitglied")
    speakers.add_member(cast.impulse, mona.email, actor=cast.orga, now=now)
    db.session.commit()
    url = f"/impulse/termin/{cast.impulse.id}/referent"
    assert client.get(url).status_code in (302, 401)  # visitor
    attendee = app.test_client()
    login(attendee, cast.attendees[0])
    assert attendee.get(url).status_code == 403
    registrant = app.test_client()
    login(registrant, cast.absent)
    assert registrant.get(url).status_code == 403
    other = app.test_client()
    login(other, make_user("organizer"))
    assert other.get(url).status_code == 403
    assert other.get(f"/impulse/termin/{cast.impulse.id}/referierende").status_code == 403
    for who in (cast.orga, make_user("admin")):
        c = app.test_client()
        login(c, who)
        assert c.get(url).status_code == 200
        assert c.get(f"/impulse/termin/{cast.impulse.id}/referierende").status_code == 200
    login(client, mona)
    assert "Ihre Seite als Referent*in" in client.get(f"/impulse/{cast.series.id}").get_data(
        as_text=True
    )
    html = client.get(url).get_data(as_text=True)
    assert "6 Plätze bestätigt" in html
    for person in cast.attendees:
        assert person.display_name not in html
    assert client.get(f"/impulse/termin/{cast.impulse.id}/referierende").status_code == 403
    # results: hidden in the feedback week, shown after it with five answers
    for n, person in enumerate(cast.attendees):
        feedback.give(cast.impulse, person, 5 - n % 2, f"Notiz {n}", now=cast.after)
    db.session.commit()
    clock.set(cast.after)
    assert "Notiz 0" not in client.get(url).get_data(as_text=True)
    clock.set(cast.closed)
    html = client.get(url).get_data(as_text=True)
    assert "5 Antworten, Durchschnitt 4,6 von 5." in html and "Notiz 0" in html


def test_organizer_forms_refuse_bad_input(app, client, make_user, login, now):
    cast = with_people(now, make_user, attendees=0)
    login(client, cast.orga)
    url = f"/impulse/termin/{cast.impulse.id}/referierende"
    token = csrf_from(client.get(url).get_data(as_text=True))
    for data in (
        {"formular": "mitglied", "account_email": "niemand@x.example"},
        {"formular": "gast", "name": "", "email": "g@x.example"},
        {"formular": "gast", "name": "Gerda", "email": "kein-mail"},
        {"formular": "gast", "name": "x" * 200, "email": "g@x.example"},
    ):
        resp = client.post(url, data={**data, "csrf_token": token})
        assert resp.status_code == 200 and 'role="alert"' in resp.get_data(as_text=True)
    assert client.post(url, data={"formular": "unbekannt", "csrf_token": token}).status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(Speaker)) == 0
    resp = client.post(
        url, data={"formular": "gast", "name": "Gerda", "email": "g@x.example", "csrf_token": token}
    )
    assert resp.status_code == 302
    assert "Gerda" in client.get(url).get_data(as_text=True)


def test_guest_speaker_mail_reaches_the_smtp_server(mail_app, smtp):
    now = mail_app.extensions["peerlab.clock"].now()
    orga = quick_user(now, "organizer", "Olga Orga")
    db.session.commit()
    series = make_series(now, orga, capacity=None)
    guest = speakers.add_guest(
        series.impulses[0], "Gerda Gast", "gerda@example.org", actor=orga, now=now
    )
    db.session.commit()
    assert sender.send_due(now) == 1
    (msg,) = smtp.recorder.to("gerda@example.org")
    body = msg.get_body(("plain",)).get_content()
    assert "Gerda Gast" in body and speakers.link_url(guest) in body
    assert re.search(r"Ihr Kurzimpuls", msg["Subject"])
    with pytest.raises(NotFound):
        speakers.by_link(guest.id, "falsch")


def test_demo_has_a_guest_speaker_questions_and_pooled_feedback(app, now):
    from peerlab import demo

    assert demo.load()
    from peerlab.impulses.models import Series

    made = db.session.scalar(select(Series))
    guest = db.session.scalar(select(Speaker))
    assert guest.is_guest and speakers.link_token(guest)
    assert len(questions.texts_for_speaker(guest.impulse)) == 2
    view = feedback.for_series(made, now=now)
    assert view.pools and view.pools[0].summary.count >= 5
    assert all(r.state != "shown" for _i, r in view.single)  # each date alone is too small


def test_a_member_speaker_sees_the_materials_before_the_date(app, make_user, now):
    from peerlab.impulses.service import materials

    cast = with_people(now, make_user, attendees=1)
    member = make_user(name="Mona Mitglied")
    stranger = make_user(name="Fremd Franz")
    assert not materials.may_see(cast.impulse, member, now)
    speakers.add_member(cast.impulse, member.email, actor=cast.orga, now=now)
    db.session.commit()
    assert now < cast.impulse.starts_at
    assert materials.may_see(cast.impulse, member, now)
    assert not materials.may_see(cast.impulse, cast.attendees[0], now)  # registrants: afterwards
    assert not materials.may_see(cast.impulse, stranger, now)
