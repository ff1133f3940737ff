"""Deleting a round: who may (creator, admins in the round; everyone else 404), the calendar
cancellation a future round sends first, that nothing of the round remains, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.accounts.models import GuestPass
from peerlab.core import subjects
from peerlab.extensions import db
from peerlab.ical.models import Invitation
from peerlab.lean_coffee import calendar_source
from peerlab.lean_coffee.models import Participant, Round, Topic
from peerlab.lean_coffee.service import rounds, topics
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from
from tests.lean_coffee.conftest import guest_socket
from tests.lean_coffee.test_routes import ics_of, mails_to


def _token(client) -> str:
    """A valid CSRF token of this client's session (from a page every visitor can open)."""
    for path in ("/anmelden", "/kalender/", "/runden"):
        resp = client.get(path)
        if resp.status_code == 200 and 'name="csrf_token"' in resp.get_data(as_text=True):
            return csrf_from(resp.get_data(as_text=True))
    raise AssertionError("no page with a CSRF token")


def _delete(client, round_id: int):
    return client.post(f"/runden/{round_id}/loeschen", data={"csrf_token": _token(client)})


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def invited_round(app, make_round, make_user, now):
    """A round an hour from now, invited by calendar; an admin takes part, another does not."""
    cast = make_round(signed_in=True)
    admin_in = make_user("admin", name="Ada Admin")
    rounds.invite_people(cast.round, [admin_in], organizer=cast.users["orga"], now=now)
    calendar_source.invite_all(cast.round, organizer=cast.users["orga"], now=now)
    db.session.commit()
    cast.users["admin_in"] = admin_in
    return cast


def test_only_the_creator_and_admins_in_the_round_may_delete_it(
    app, invited_round, make_user, login, now
):
    cast = invited_round
    rid = cast.round.id
    # Anna co-facilitates but did not create the round.
    rounds.appoint(cast.round, cast.fac, cast.anna.id, cofacilitator=True)
    db.session.commit()
    clients = {"anonymous": app.test_client(), "guest": guest_socket(app, cast.round).http}
    for key, user in (
        ("stranger", make_user(name="Fremd")),
        ("admin_outside", make_user("admin")),
        ("participant", cast.users["ben"]),
        ("cofacilitator", cast.users["anna"]),
        ("admin_in", cast.users["admin_in"]),
        ("creator", cast.users["orga"]),
    ):
        clients[key] = app.test_client()
        login(clients[key], user)
    expected = {
        "anonymous": 404,
        "guest": 404,
        "stranger": 404,
        "admin_outside": 404,  # confidential-by-default: admins see only rounds they are in
        "participant": 404,
        "cofacilitator": 404,
        "admin_in": 200,
        "creator": 200,
    }
    got = {key: clients[key].get(f"/runden/{rid}/loeschen").status_code for key in expected}
    assert got == expected
    for key, code in expected.items():
        for page in ("", "/zusammenfassung"):
            html = clients[key].get(f"/runden/{rid}{page}").get_data(as_text=True)
            assert (f"/runden/{rid}/loeschen" in html) == (code == 200), (key, page)
    version = db.session.get(Round, rid).version
    mails = _count(OutboxMail)
    for key, code in expected.items():
        if code == 404:
            assert _delete(clients[key], rid).status_code == 404, key
    db.session.expire_all()
    assert db.session.get(Round, rid).version == version, "a refused delete changes nothing"
    assert _count(OutboxMail) == mails
    assert _delete(clients["admin_in"], rid).status_code == 302
    assert db.session.get(Round, rid) is None


def test_the_confirmation_page_names_the_consequences(app, invited_round, login, clock):
    cast = invited_round
    orga = app.test_client()
    login(orga, cast.users["orga"])
    page = orga.get(f"/runden/{cast.round.id}/loeschen").get_data(as_text=True)
    assert "Alles, was zu dieser Runde gehört, wird gelöscht" in page
    assert "Alle Eingeladenen erhalten eine Absage per E-Mail" in page
    assert "Eingeladene Personen: 4" in page  # Olga, Anna, Ben and Ada
    assert 'name="csrf_token"' in page and 'method="post"' in page
    clock.advance(3 * 3600)  # the round is over: no cancellation any more
    page = orga.get(f"/runden/{cast.round.id}/loeschen").get_data(as_text=True)
    assert "Die Runde ist vorbei. Es werden keine E-Mails verschickt." in page
    assert "Absage per E-Mail" not in page


def test_deleting_a_future_round_cancels_it_in_every_calendar_first(app, invited_round, login):
    cast = invited_round
    rid = cast.round.id
    ben = cast.users["ben"]
    (request,) = mails_to(ben.email)
    invitation = ics_of(request)
    uid = re.search(r"^UID:(.+)$", invitation, re.M).group(1).strip()
    orga = app.test_client()
    login(orga, cast.users["orga"])

    resp = _delete(orga, rid)

    assert resp.status_code == 302 and resp.location.endswith("/runden")
    page = orga.get(resp.location).get_data(as_text=True)
    assert "ist gelöscht. Alle Eingeladenen erhalten eine Absage" in page
    for user in (cast.users[k] for k in ("orga", "anna", "ben", "admin_in")):
        cancel = mails_to(user.email)[-1]
        ics = ics_of(cancel)
        assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
        assert f"UID:{uid}" in ics and "SEQUENCE:1" in ics  # the invitation had SEQUENCE:0
        assert f"/runden/{rid}" not in ics, "no link to the deleted page"
        assert cancel.sent_at is None and cancel.about_kind is None  # survives the deletion
    assert "SEQUENCE:0" in invitation
    assert db.session.get(Round, rid) is None


@pytest.mark.parametrize("state", ["past", "closed", "cancelled"])
def test_a_past_closed_or_cancelled_round_is_deleted_without_mail(
    app, invited_round, login, clock, state
):
    cast = invited_round
    rid = cast.round.id
    if state == "past":
        clock.advance(2 * 3600 + 60)  # an hour after its planned end, never closed
    elif state == "closed":
        for phase in ("vote", "discuss", "wrapup", "closed"):
            rounds.advance_phase(cast.round, phase, now=clock.now())
    else:
        rounds.cancel_round(cast.round, now=clock.now())
        calendar_source.send_cancel(cast.round, now=clock.now())
    db.session.commit()
    mails = _count(OutboxMail, OutboxMail.about_kind.is_(None))
    orga = app.test_client()
    login(orga, cast.users["orga"])
    resp = _delete(orga, rid)
    assert resp.status_code == 302
    assert _count(OutboxMail, OutboxMail.about_kind.is_(None)) == mails, "no new mail"
    assert "Alle Eingeladenen" not in orga.get("/runden").get_data(as_text=True)
    assert db.session.get(Round, rid) is None


def test_nothing_of_the_round_remains(app, invited_round, login, now):
    cast = invited_round
    rid = cast.round.id
    rounds.create_guest(cast.round, "Gast Gerda", now=now)
    topics.add_topic(cast.round, cast.fac, "Wärmeplanung", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    rounds.advance_phase(cast.round, "discuss", now=now)  # a running timebox refers to it
    other = rounds.create_round(
        rounds.RoundSettings(title="Bleibt", starts_at=now + timedelta(days=1)),
        creator=cast.users["orga"],
        invitees=[cast.users["anna"]],
        now=now,
    )
    calendar_source.invite_all(other, organizer=cast.users["orga"], now=now)
    db.session.commit()
    assert _count(GuestPass) == 1 and _count(Topic, Topic.round_id == rid) == 1
    orga = app.test_client()
    login(orga, cast.users["orga"])

    assert _delete(orga, rid).status_code == 302

    db.session.expire_all()
    # Every reference registered with the subject lifecycle finds nothing left to reach.
    with db.session.begin_nested() as probe:
        reached = subjects.delete_subject(rounds.SUBJECT_KIND, rid, now=now)
        probe.rollback()
    assert reached == dict.fromkeys(reached, 0), reached
    for model in (Participant, Topic):
        assert _count(model, model.round_id == rid) == 0
    assert db.session.get(Round, other.id) is not None
    assert _count(Invitation, Invitation.subject_id == other.id) == 2, "the other round stays"


def test_bad_input_changes_nothing(app, invited_round, login):
    cast = invited_round
    rid = cast.round.id
    orga = app.test_client()
    login(orga, cast.users["orga"])
    mails = _count(OutboxMail)
    assert orga.post(f"/runden/{rid}/loeschen", data={}).status_code == 400  # no CSRF token
    resp = orga.post(f"/runden/{rid}/loeschen", data={"csrf_token": "falsch"})
    assert resp.status_code == 400
    assert orga.get(f"/runden/{rid}/loeschen", query_string={"x": "1"}).status_code == 200
    assert orga.get("/runden/999999/loeschen").status_code == 404
    assert orga.get("/runden/99999999999999999999999/loeschen").status_code == 404
    assert _delete(orga, 999999).status_code == 404
    db.session.expire_all()
    assert db.session.get(Round, rid) is not None and _count(OutboxMail) == mails
    assert _delete(orga, rid).status_code == 302
    assert _delete(orga, rid).status_code == 404, "a second click finds nothing"


def test_open_boards_hear_that_the_round_was_deleted(app, sockets):
    cast, s = sockets
    rid = cast.round.id
    for key in ("orga", "anna"):
        assert s[key].emit("round:join", {"round_id": rid}, callback=True)["ok"] is True
    s["anna"].get_received()

    assert _delete(s["orga"].http, rid).status_code == 302

    notices = [m["args"][0] for m in s["anna"].queue if m["name"] == "round:removed"]
    message = "Diese Runde wurde gelöscht."
    assert notices == [{"round_id": rid, "code": "deleted", "message": message}]
    assert not s["anna"].is_connected()


def test_the_cancellation_reaches_the_smtp_server_after_the_round_is_gone(mail_app, smtp):
    """Through the real mail path: the queued CANCEL mails survive the deletion and are sent."""
    from peerlab.accounts import service
    from peerlab.accounts.actors import Actor
    from peerlab.lean_coffee.service import removal
    from peerlab.notify import sender

    clock = mail_app.extensions["peerlab.clock"]
    now = clock.now()
    orga, anna = (
        service.create_user(email=f"{n}@kommune.example", name=n, role=r, now=now)
        for n, r in (("olga", "organizer"), ("anna", "member"))
    )
    rnd = rounds.create_round(
        rounds.RoundSettings(title="Runde Klimaanpassung", starts_at=now + timedelta(days=2)),
        creator=orga,
        invitees=[anna],
        now=now,
    )
    calendar_source.invite_all(rnd, organizer=orga, now=now)
    db.session.commit()
    assert sender.send_due(now) == 2
    smtp.recorder.clear()

    done = removal.delete_round(rnd.id, Actor("user", orga.id, orga.name, user=orga), now=now)
    db.session.commit()

    assert done.cancellations == 2 and done.title == "Runde Klimaanpassung"
    assert sender.send_due(now) == 2
    (msg,) = smtp.recorder.to(anna.email)
    assert msg["Subject"].startswith("Abgesagt: Lean Coffee: Runde Klimaanpassung")
    calendar = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "CANCEL"
    assert "METHOD:CANCEL" in calendar.get_content()


def test_a_cancelled_round_says_so_on_its_board_in_plain_words(app, invited_round, login, now):
    cast = invited_round
    anna = app.test_client()
    login(anna, cast.users["anna"])
    rounds.cancel_round(cast.round, now=now)
    db.session.commit()
    page = anna.get(f"/runden/{cast.round.id}").get_data(as_text=True)
    phase = re.search(r'id="lc-phase-name">([^<]*)<', page).group(1)
    hint = re.search(r'id="lc-phase-hint">([^<]*)<', page).group(1)
    assert (phase, hint) == ("Runde abgesagt", "Diese Runde wurde abgesagt.")
    assert "abgesagt" in anna.get("/runden").get_data(as_text=True)
    orga = app.test_client()
    login(orga, cast.users["orga"])
    form = orga.get(f"/runden/{cast.round.id}/bearbeiten").get_data(as_text=True)
    assert "Diese Runde wurde abgesagt." in form
    assert "Runde absagen" not in form, "no button to cancel it a second time"
