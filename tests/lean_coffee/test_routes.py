"""Pages: create (with calendar invitations), edit/cancel (updates), board, guest join,
summary, Markdown, summary mail — and who may see them."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import rounds
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from


def ics_of(mail: OutboxMail) -> str:
    """The decoded text/calendar part of a stored mail."""
    import email
    from email import policy

    msg = email.message_from_bytes(mail.raw, policy=policy.default)
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    return part.get_content()


def mails_to(address: str) -> list[OutboxMail]:
    return db.session.scalars(select(OutboxMail).where(OutboxMail.to_addr == address)).all()


def test_organizer_creates_round_and_invitees_get_calendar_invitations(
    app, client, make_user, login, now
):
    orga = make_user("organizer", name="Olga Orga")
    anna = make_user(name="Anna Amsel")
    login(client, orga)
    page = client.get("/runden/neu").get_data(as_text=True)
    assert "Neue Lean-Coffee-Runde" in page and "Anna Amsel" in page
    day = (now + timedelta(days=3)).date()
    resp = client.post(
        "/runden/neu",
        data={
            "csrf_token": csrf_from(page),
            "title": "Runde Wärmeplanung",
            "day": day.isoformat(),
            "start_time": "09:00",
            "planned_minutes": "60",
            "vote_budget": "3",
            "multiple_dots": "y",
            "timebox_minutes": "8",
            "extension_percent": "50",
            "min_extension_minutes": "1",
            "anonymous_allowed": "y",
            "access": "link",
            "invitees": [str(anna.id)],
        },
    )
    assert resp.status_code == 302
    rnd = db.session.scalar(select(Round))
    assert rnd.title == "Runde Wärmeplanung" and rnd.vote_budget == 3
    berlin = ZoneInfo("Europe/Berlin")
    assert rnd.starts_at == datetime.combine(day, time(9, 0), tzinfo=berlin)  # any season
    assert "METHOD:REQUEST" in ics_of(mails_to(anna.email)[0])


def test_bad_form_input_changes_nothing(client, make_user, login, now):
    login(client, make_user("organizer"))
    page = client.get("/runden/neu").get_data(as_text=True)
    resp = client.post(
        "/runden/neu",
        data={
            "csrf_token": csrf_from(page),
            "title": "X",
            "day": (now + timedelta(days=1)).date().isoformat(),
            "start_time": "09:00",
            "planned_minutes": "60",
            "vote_budget": "11",
            "timebox_minutes": "8",
            "extension_percent": "50",
            "min_extension_minutes": "1",
            "access": "link",
        },
    )
    assert resp.status_code == 200 and "von 1 bis 10" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Round)) is None


def test_members_cannot_create_rounds(client, make_user, login):
    login(client, make_user())
    assert client.get("/runden/neu").status_code == 403


def test_board_for_participants_only(app, make_round, login, make_user):
    cast = make_round(signed_in=True)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    assert anna.get(f"/runden/{cast.round.id}").status_code == 200
    stranger = app.test_client()
    login(stranger, make_user(name="Fremd"))
    for path in ("", "/zusammenfassung", "/zusammenfassung.md"):
        assert stranger.get(f"/runden/{cast.round.id}{path}").status_code == 404
    assert app.test_client().get(f"/runden/{cast.round.id}").status_code == 302


def test_guest_joins_by_link_and_sees_only_this_round(app, make_round, now):
    from peerlab.lean_coffee import access

    cast = make_round()
    other = rounds.create_round(
        rounds.RoundSettings(title="Andere", starts_at=now),
        creator=cast.users["orga"],
        invitees=[],
        now=now,
    )
    db.session.commit()
    guest = app.test_client()
    url = f"/runden/{cast.round.id}/beitreten/{access.link_token(cast.round)}"
    page = guest.get(url).get_data(as_text=True)
    assert "als Gast" in page
    resp = guest.post(url, data={"display_name": "Gerda", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    assert guest.get(f"/runden/{cast.round.id}").status_code == 200
    assert guest.get(f"/runden/{other.id}").status_code == 404
    resp = guest.get("/runden")  # nothing else in peerlab: off to the sign-in page
    assert resp.status_code == 302 and resp.location.startswith("/anmelden")
    assert db.session.scalar(select(Participant).where(Participant.display_name == "Gerda"))


def test_wrong_or_revoked_link_is_not_found(app, make_round):
    from peerlab.lean_coffee import access

    cast = make_round()
    client = app.test_client()
    assert client.get(f"/runden/{cast.round.id}/beitreten/falsch").status_code == 404
    token = access.link_token(cast.round)
    rounds.renew_link(cast.round, revoke=True)
    db.session.commit()
    assert client.get(f"/runden/{cast.round.id}/beitreten/{token}").status_code == 404


def test_time_change_sends_update_and_cancel_sends_cancellation(app, make_round, login, now):
    from peerlab.lean_coffee import calendar_source

    cast = make_round(signed_in=True)
    calendar_source.invite_all(cast.round, organizer=cast.users["orga"], now=now)
    db.session.commit()
    orga = app.test_client()
    login(orga, cast.users["orga"])
    page = orga.get(f"/runden/{cast.round.id}/bearbeiten").get_data(as_text=True)
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    data = {
        k: fields[k]
        for k in (
            "title",
            "day",
            "planned_minutes",
            "vote_budget",
            "timebox_minutes",
            "extension_percent",
            "min_extension_minutes",
        )
        if k in fields
    }
    data.update(
        {
            "csrf_token": csrf_from(page),
            "start_time": "15:30",
            "access": "link",
            "day": (now + timedelta(days=2)).date().isoformat(),
        }
    )
    assert orga.post(f"/runden/{cast.round.id}/bearbeiten", data=data).status_code == 302
    ben_mails = mails_to(cast.users["ben"].email)
    assert len(ben_mails) == 2 and "SEQUENCE:1" in ics_of(ben_mails[-1])
    page = orga.get(f"/runden/{cast.round.id}/bearbeiten").get_data(as_text=True)
    orga.post(f"/runden/{cast.round.id}/absagen", data={"csrf_token": csrf_from(page)})
    assert "METHOD:CANCEL" in ics_of(mails_to(cast.users["ben"].email)[-1])
    assert db.session.get(Round, cast.round.id).cancelled_at is not None


def test_summary_page_markdown_and_mail(app, make_round, login, now):
    from tests.lean_coffee.test_service_results import finished_round

    cast = make_round(signed_in=True)
    finished_round(cast, now)
    ben = app.test_client()
    login(ben, cast.users["ben"])
    page = ben.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    assert "Vorfälle dokumentieren" in page and "Anna" not in page
    md = ben.get(f"/runden/{cast.round.id}/zusammenfassung.md")
    assert md.mimetype == "text/markdown" and "attachment" in md.headers["Content-Disposition"]
    assert md.headers["Content-Type"] == "text/markdown; charset=utf-8"  # one charset, not two
    orga = app.test_client()
    login(orga, cast.users["orga"])
    page = orga.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    orga.post(
        f"/runden/{cast.round.id}/zusammenfassung/senden", data={"csrf_token": csrf_from(page)}
    )
    mail = mails_to(cast.users["ben"].email)[-1]
    assert "Zusammenfassung" in mail.subject and b"Anna" not in mail.raw
    ben_page = ben.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    resp = ben.post(  # Ben's own valid form: refused because he does not facilitate
        f"/runden/{cast.round.id}/zusammenfassung/senden", data={"csrf_token": csrf_from(ben_page)}
    )
    assert resp.status_code == 403


def test_list_page_and_nav_entry(app, make_round, login):
    cast = make_round(signed_in=True)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    html = anna.get("/runden").get_data(as_text=True)
    assert "Lean Coffee Integration" in html and 'href="/runden"' in html


def test_authorization_matrix_of_round_pages(app, make_round, login, make_user, now):
    """anonymous · guest of another round · non-member · admin (not in the round) · participant
    · facilitator, against every page of a round."""
    from tests.lean_coffee.conftest import guest_socket

    cast = make_round(signed_in=True)
    rid = cast.round.id
    other = rounds.create_round(
        rounds.RoundSettings(title="Andere", starts_at=now, access="link"),
        creator=cast.users["orga"],
        invitees=[],
        now=now,
    )
    db.session.commit()
    clients = {"anonymous": app.test_client(), "guest_elsewhere": guest_socket(app, other).http}
    for key, user in (
        ("stranger", make_user(name="Fremd")),
        ("admin", make_user("admin")),
        ("participant", cast.users["ben"]),
        ("facilitator", cast.users["orga"]),
    ):
        clients[key] = app.test_client()
        login(clients[key], user)
    gets = [
        f"/runden/{rid}",
        f"/runden/{rid}/zusammenfassung",
        f"/runden/{rid}/zusammenfassung.md",
        f"/runden/{rid}/bearbeiten",
    ]
    expected = {
        "anonymous": [302, 302, 302, 401],
        "guest_elsewhere": [404, 404, 404, 401],
        "stranger": [404, 404, 404, 404],
        "admin": [404, 404, 404, 404],
        "participant": [200, 200, 200, 403],
        "facilitator": [200, 200, 200, 200],
    }
    for key, codes in expected.items():
        got = [clients[key].get(path).status_code for path in gets]
        assert got == codes, (key, got)


def test_pages_in_english(app, make_round, login):
    cast = make_round(signed_in=True)
    cast.users["anna"].language = "en"
    db.session.commit()
    anna = app.test_client()
    login(anna, cast.users["anna"])
    html = anna.get("/runden").get_data(as_text=True)
    assert "Upcoming and running rounds" in html
