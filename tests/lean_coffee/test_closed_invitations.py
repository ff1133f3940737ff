"""Invitations to a round that is closed early, cancelled or over: gone from "Offene
Einladungen" and from the Kalender page, and no answer is taken any more (a clear message,
nothing changed). Time comes from the injected clock, never from today's date."""

from __future__ import annotations

import pytest

from peerlab.extensions import db
from peerlab.ical import invitations, service
from peerlab.ical.models import Invitation
from peerlab.lean_coffee import calendar_source
from peerlab.lean_coffee.service import rounds
from tests.conftest import csrf_from

OVER = "Dieser Termin ist vorbei. Eine Antwort ist nicht mehr möglich."
CANCELLED = "Dieser Termin ist abgesagt. Eine Antwort ist nicht mehr möglich."


@pytest.fixture
def anna(app, make_round, login, now):
    """Anna, signed in, with an open invitation to a round that starts in an hour."""
    cast = make_round(signed_in=True)
    calendar_source.invite_all(cast.round, organizer=cast.users["orga"], now=now)
    db.session.commit()
    client = app.test_client()
    login(client, cast.users["anna"])
    client.cast = cast
    client.invitation = next(
        inv
        for inv in invitations.responses("lean_coffee.round", cast.round.id)
        if inv.user_id == cast.users["anna"].id
    )
    return client


def _close_early(cast, now) -> None:
    for phase in ("vote", "discuss", "wrapup", "closed"):
        rounds.advance_phase(cast.round, phase, now=now)
    db.session.commit()


def _cancel(cast, now) -> None:
    rounds.cancel_round(cast.round, now=now)
    calendar_source.send_cancel(cast.round, now=now)
    db.session.commit()


def _partstat(invitation_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Invitation, invitation_id).partstat


def _answer_link(invitation) -> str:
    return f"/kalender/antwort/{service.rsvp_token(invitation.rsvp_salt)}"


def _listed(client) -> tuple[bool, bool]:
    """Is the invitation on the dashboard's open invitations / on the Kalender page?"""
    link = f"/kalender/einladung/{client.invitation.id}"
    return (
        link in client.get("/").get_data(as_text=True),
        link in client.get("/kalender/").get_data(as_text=True),
    )


def test_a_round_closed_early_leaves_the_open_invitations(anna, now):
    assert _listed(anna) == (True, True)
    _close_early(anna.cast, now)  # closed before its planned end (even before its start)
    assert _listed(anna) == (False, False)


def test_a_cancelled_round_leaves_the_open_invitations(anna, now):
    assert _listed(anna) == (True, True)
    _cancel(anna.cast, now)
    assert _listed(anna) == (False, False)


def test_a_round_over_by_the_clock_leaves_the_open_invitations(anna, clock):
    assert _listed(anna) == (True, True)
    clock.advance(2 * 3600 + 60)  # an hour after its planned end; nobody closed it
    assert _listed(anna) == (False, False)


@pytest.mark.parametrize(
    ("make_it", "message"),
    [
        (lambda cast, clock: _close_early(cast, clock.now()), OVER),
        (lambda cast, clock: _cancel(cast, clock.now()), CANCELLED),
        (lambda cast, clock: clock.advance(2 * 3600 + 60), OVER),
    ],
    ids=["closed-early", "cancelled", "past"],
)
def test_answers_to_a_date_that_is_no_longer_open_are_refused(anna, clock, make_it, message):
    inv = anna.invitation
    pages = {
        "invitation page": (anna, f"/kalender/einladung/{inv.id}"),
        "mail link": (anna.application.test_client(), _answer_link(inv)),
    }
    tokens = {
        name: csrf_from(client.get(url).get_data(as_text=True))
        for name, (client, url) in pages.items()
    }
    make_it(anna.cast, clock)
    for name, (client, url) in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert message in page and 'name="antwort"' not in page, name  # no answer buttons
        resp = client.post(url, data={"antwort": "zusage", "csrf_token": tokens[name]})
        assert resp.status_code == 400, name
        assert message in resp.get_data(as_text=True), name
        assert _partstat(inv.id) == "NEEDS-ACTION", name


def test_the_refusal_speaks_english_to_english_readers(anna, now):
    anna.cast.users["anna"].language = "en"
    db.session.commit()
    url = f"/kalender/einladung/{anna.invitation.id}"
    token = csrf_from(anna.get(url).get_data(as_text=True))
    _close_early(anna.cast, now)
    resp = anna.post(url, data={"antwort": "absage", "csrf_token": token})
    assert resp.status_code == 400
    assert "This date is over. You can no longer answer." in resp.get_data(as_text=True)
    assert _partstat(anna.invitation.id) == "NEEDS-ACTION"


def test_an_open_round_still_takes_answers(anna, now):
    url = f"/kalender/einladung/{anna.invitation.id}"
    token = csrf_from(anna.get(url).get_data(as_text=True))
    rounds.advance_phase(anna.cast.round, "vote", now=now)  # running, not closed
    db.session.commit()
    assert anna.post(url, data={"antwort": "zusage", "csrf_token": token}).status_code == 302
    assert _partstat(anna.invitation.id) == "ACCEPTED"
