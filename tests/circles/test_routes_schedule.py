"""The dates, members, leaving and closing pages through HTTP: access for member, former
member, invited, organizer, admin and others; bad input gets a message and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.circles import schedule
from peerlab.circles.models import CheckIn
from peerlab.circles.models_schedule import Absence, ScheduleChange
from peerlab.circles.service import circles as service
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail
from tests.circles.conftest import BERLIN, actor
from tests.circles.test_routes import circle, signed  # noqa: F401 - shared fixtures
from tests.conftest import csrf_from


def _client(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def _post(client, page, path, data):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_who_sees_the_new_pages(app, login, signed, circle, clock):  # noqa: F811
    base = f"/circles/{circle.id}"
    service.leave(circle.id, actor(signed.ben), now=clock.now())
    db.session.commit()
    anna = _client(app, login, signed.anna)  # the first to accept: moderation
    for path in (
        f"{base}/termine",
        f"{base}/termine/2/ausfallen",
        f"{base}/termine/2/verschieben",
        f"{base}/mitglieder",
        f"{base}/verlassen",
        f"{base}/abschluss",
    ):
        assert anna.get(path).status_code == 200, path
    html = anna.get(base).get_data(as_text=True)
    assert "Termine und Absagen" in html and "Mitglieder verwalten" in html
    for user in (signed.ben, signed.carl, signed.outsider, signed.admin, signed.orga):
        client = _client(app, login, user)
        for path in (
            f"{base}/termine",
            f"{base}/mitglieder",
            f"{base}/abschluss",
            f"{base}/verlassen",
            f"{base}/termine/2/ausfallen",
        ):
            assert client.get(path).status_code == 404, (user.name, path)


def test_a_member_who_does_not_moderate_gets_no_change_pages(app, login, signed, circle):  # noqa: F811
    ben = _client(app, login, signed.ben)
    base = f"/circles/{circle.id}"
    assert ben.get(f"{base}/termine").status_code == 200
    assert "Verschieben" not in ben.get(f"{base}/termine").get_data(as_text=True)
    assert ben.get(f"{base}/termine/2/ausfallen").status_code == 403
    resp = _post(ben, f"{base}/termine", f"{base}/termine/2/ausfallen", {"mode": "anhaengen"})
    assert resp.status_code == 403
    assert db.session.scalars(select(ScheduleChange)).all() == []


def test_skip_and_move_through_the_pages_and_bad_input(app, login, signed, circle, clock):  # noqa: F811
    base = f"/circles/{circle.id}"
    anna = _client(app, login, signed.anna)
    page = f"{base}/termine/3/verschieben"
    third, fourth = schedule.by_slot(circle, 3), schedule.by_slot(circle, 4)
    local = fourth.starts_at.astimezone(BERLIN)
    mails = len(db.session.scalars(select(OutboxMail.id)).all())
    bad = [
        ({"day": "kein Datum", "at": "18:00"}, "Bitte prüfen"),
        ({"day": local.date().isoformat(), "at": "18:00"}, "schon Treffen 4"),
        ({"day": (clock.now() - timedelta(days=1)).date().isoformat(), "at": "18:00"}, ""),
        ({"day": third.starts_at.astimezone(BERLIN).date().isoformat(), "at": "25:00"}, ""),
    ]
    for data, message in bad:
        resp = _post(anna, page, page, data)
        assert resp.status_code == 422, data
        assert message in resp.get_data(as_text=True)
    assert db.session.scalars(select(ScheduleChange)).all() == []
    assert len(db.session.scalars(select(OutboxMail.id)).all()) == mails
    new_day = (third.starts_at.astimezone(BERLIN) + timedelta(days=1)).date()
    resp = _post(anna, page, page, {"day": new_day.isoformat(), "at": "19:00"})
    assert resp.status_code == 302
    assert schedule.by_slot(circle, 3).starts_at.astimezone(BERLIN).hour == 19
    skip = f"{base}/termine/4/ausfallen"
    assert _post(anna, skip, skip, {"mode": "irgendwas"}).status_code == 422
    assert "verschoben" in anna.get(f"{base}/termine").get_data(as_text=True)
    assert _post(anna, skip, skip, {"mode": "ausfallen"}).status_code == 302
    assert len(schedule.of(circle)) == 11
    assert anna.get(f"{base}/termine/4/ausfallen").status_code == 404  # gone now
    assert anna.get(f"{base}/termine/99/verschieben").status_code == 404


def test_cannot_come_reminders_and_bad_values(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}"
    ben = _client(app, login, signed.ben)
    dates = f"{base}/termine"
    assert (
        _post(ben, dates, f"{base}/termine/2/kann-nicht", {"kann_nicht": "vielleicht"}).status_code
        == 400
    )
    assert _post(ben, dates, f"{base}/termine/2/kann-nicht", {"kann_nicht": "1"}).status_code == 302
    assert len(db.session.scalars(select(Absence)).all()) == 1
    html = ben.get(dates).get_data(as_text=True)
    assert "Ich kann doch" in html and "findet voraussichtlich nicht statt" in html
    assert _post(ben, dates, f"{base}/erinnerungen", {"an": "x"}).status_code == 400
    assert _post(ben, dates, f"{base}/erinnerungen", {"an": "0"}).status_code == 302
    assert "Erinnerungen einschalten" in ben.get(dates).get_data(as_text=True)


def test_leaving_with_deleting_check_ins(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}"
    anna = _client(app, login, signed.anna)
    assert (
        _post(anna, f"{base}/verlassen", f"{base}/verlassen", {"checkins": "egal"}).status_code
        == 422
    )
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
    resp = _post(anna, f"{base}/verlassen", f"{base}/verlassen", {"checkins": "loeschen"})
    assert resp.status_code == 302
    assert db.session.scalars(select(CheckIn)).all() == []
    assert anna.get(base).status_code == 404


def test_removing_and_inviting_through_the_members_page(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}/mitglieder"
    anna = _client(app, login, signed.anna)
    assert _post(anna, base, base, {"person": "0"}).status_code == 422
    assert _post(anna, base, base, {"person": str(signed.ben.id)}).status_code == 422  # member
    resp = _post(anna, base, base, {"person": str(signed.outsider.id)})
    assert resp.status_code == 302
    rows = {u.id: row for row, u in service.members(circle)}
    assert rows[signed.outsider.id].status == "invited"
    ben_row = rows[signed.ben.id].id
    assert _post(anna, base, f"{base}/{ben_row}/entfernen", {}).status_code == 302
    assert _post(anna, base, f"{base}/{ben_row}/entfernen", {}).status_code == 404
    assert signed.ben.id not in {u.id for _r, u in service.members(circle)}


def test_the_closing_page_before_the_end(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}/abschluss"
    anna = _client(app, login, signed.anna)
    html = anna.get(base).get_data(as_text=True)
    assert "nach dem letzten Treffen" in html
    assert _post(anna, base, base, {"text": "Zu früh"}).status_code == 422
    assert _post(anna, base, f"/circles/{circle.id}/erneuern", {}).status_code == 302


def test_cannot_come_from_the_circle_page(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}"
    ben = _client(app, login, signed.ben)
    html = ben.get(base).get_data(as_text=True)
    assert "Treffen 1: 2 können, mindestens 2 nötig." in html
    resp = _post(
        ben, base, f"{base}/termine/1/kann-nicht", {"kann_nicht": "1", "zurueck": "circle"}
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(base)
    html = ben.get(base).get_data(as_text=True)
    assert "findet voraussichtlich nicht statt" in html and "Ich kann doch" in html


def test_the_new_address_form_is_for_organizers_only(app, login, signed, circle):  # noqa: F811
    base = f"/circles/{circle.id}/mitglieder"
    anna = _client(app, login, signed.anna)  # moderates, but is no organizer
    assert "Neue Adresse einladen" not in anna.get(base).get_data(as_text=True)
    assert _post(anna, base, f"{base}/adresse", {"email": "x@kommune.example"}).status_code == 403


def test_an_organizer_who_moderates_invites_a_new_address(app, login, signed, clock):  # noqa: F811
    from tests.circles.conftest import settings_from

    made = service.create_circle(
        settings_from(clock.now(), invitees=(signed.anna.id,)), creator=signed.orga, now=clock.now()
    )
    db.session.commit()
    base = f"/circles/{made.id}/mitglieder"
    orga = _client(app, login, signed.orga)
    assert "Neue Adresse einladen" in orga.get(base).get_data(as_text=True)
    resp = _post(orga, base, f"{base}/adresse", {"email": "keine adresse"})
    assert resp.status_code == 422
    assert (
        db.session.scalar(select(OutboxMail.id).where(OutboxMail.to_addr == "keine adresse"))
        is None
    )
    resp = _post(orga, base, f"{base}/adresse", {"email": "neu@kommune.example"})
    assert resp.status_code == 302
    assert "neu@kommune.example" in {u.email for _r, u in service.members(made)}
