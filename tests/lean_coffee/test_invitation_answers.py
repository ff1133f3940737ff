"""Organizers see per round who was invited, who answered and how; participants do not."""

from __future__ import annotations

from peerlab.extensions import db
from peerlab.ical import invitations


def test_facilitator_sees_invitees_and_their_answers(app, make_round, login, now):
    from peerlab.lean_coffee import calendar_source

    cast = make_round(signed_in=True)
    calendar_source.invite_all(cast.round, organizer=cast.users["orga"], now=now)
    db.session.commit()
    anna_invitation = next(
        inv
        for inv in invitations.responses("lean_coffee.round", cast.round.id)
        if inv.user_id == cast.users["anna"].id
    )
    invitations.respond(anna_invitation, "ACCEPTED", now=now)
    db.session.commit()

    orga = app.test_client()
    login(orga, cast.users["orga"])
    page = orga.get(f"/runden/{cast.round.id}/bearbeiten").get_data(as_text=True)
    assert "Einladungen und Antworten" in page
    assert "Anna Amsel" in page and "Zugesagt" in page
    assert "Ben Berg" in page and "Noch keine Antwort" in page


def test_participant_cannot_open_the_organizer_view(app, make_round, login):
    cast = make_round(signed_in=True)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    resp = anna.get(f"/runden/{cast.round.id}/bearbeiten")
    assert resp.status_code == 403
    assert "Einladungen und Antworten" not in resp.get_data(as_text=True)
