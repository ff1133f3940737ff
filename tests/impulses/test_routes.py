"""Pages per role, bad input, the CSV for German Excel."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.impulses.service import registrations
from tests.conftest import csrf_from
from tests.impulses.conftest import make_series

BERLIN = ZoneInfo("Europe/Berlin")


def _series_with_people(now, make_user):
    orga = make_user("organizer", name="Olga Orga")
    made = make_series(now, orga, capacity=1, audience="network")
    anna = make_user(name='=HYPERLINK("x")', municipality="+Neustadt")
    ben = make_user(name="Ben Berg", municipality="Altdorf")
    registrations.register(made.impulses[0], anna, now=now)
    registrations.register(made.impulses[0], ben, now=now)
    db.session.commit()
    return orga, made, anna, ben


def test_organizer_creates_a_series_and_dates_from_a_rule(client, make_user, login, now):
    orga = make_user("organizer", name="Olga Orga")
    login(client, orga)
    page = client.get("/impulse/neu")
    assert page.status_code == 200
    resp = client.post(
        "/impulse/neu",
        data={
            "title": "Kurzimpulse Klima",
            "audience": "public",
            "default_minutes": "30",
            "capacity": "2",
            "deadline_hours": "0",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 302
    made = db.session.scalar(select(Series).where(Series.title == "Kurzimpulse Klima"))
    first = (now + timedelta(days=7)).astimezone(BERLIN).date()
    page = client.get(f"/impulse/{made.id}/regel")
    resp = client.post(
        f"/impulse/{made.id}/regel",
        data={
            "title": "Impuls",
            "first": first.isoformat(),
            "start_time": "08:00",
            "frequency": "2",
            "count": "6",
            "skip": "",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(Series, made.id).impulses) == 6


def test_bad_input_changes_nothing(client, make_user, login, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1)
    login(client, orga)
    page = client.get(f"/impulse/{made.id}/regel")
    token = csrf_from(page.get_data(as_text=True))
    past = (now - timedelta(days=3)).astimezone(BERLIN).date().isoformat()
    for data in (
        {"first": past, "count": "3"},  # past dates
        {"first": (now + timedelta(days=9)).date().isoformat(), "count": "99"},
        {"first": "kein-datum", "count": "3"},
        {"first": (now + timedelta(days=9)).date().isoformat(), "count": "3", "skip": "32.13.x"},
    ):
        resp = client.post(
            f"/impulse/{made.id}/regel",
            data={
                "title": "X",
                "start_time": "08:00",
                "frequency": "2",
                "skip": "",
                "csrf_token": token,
                **data,
            },
        )
        assert resp.status_code == 200
        assert "kern-error" in resp.get_data(as_text=True)
    page = client.get(f"/impulse/{made.id}/bearbeiten")
    resp = client.post(
        f"/impulse/{made.id}/bearbeiten",
        data={
            "title": "Kurzimpulse",
            "audience": "network",
            "default_minutes": "30",
            "video_url": "javascript:alert(1)",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Impulse)) == 1
    assert db.session.get(Series, made.id).video_url == "https://meet.example.org/k"
    assert client.get("/impulse/999999999").status_code == 404


def test_pages_per_role(app, client, make_user, login, now):
    orga, made, _anna, ben = _series_with_people(now, make_user)
    impulse = made.impulses[0]
    # anonymous: a network-only series is not found; organizer pages need a sign-in
    assert client.get(f"/impulse/{made.id}").status_code == 404
    assert client.get(f"/impulse/termin/{impulse.id}/teilnehmende").status_code in (302, 401)
    # a member sees the series but not the people, nor the organizer pages
    login(client, ben)
    html = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert "Sie stehen auf der Warteliste." in html
    assert "HYPERLINK" not in html and "Neustadt" not in html
    assert client.get(f"/impulse/termin/{impulse.id}/teilnehmende").status_code == 403
    assert client.get(f"/impulse/termin/{impulse.id}/teilnehmende.csv").status_code == 403
    assert client.get(f"/impulse/{made.id}/bearbeiten").status_code == 403
    assert client.get("/impulse/neu").status_code == 403
    # another organizer does not organize this series
    other = app.test_client()
    login(other, make_user("organizer", name="Otto"))
    assert other.get(f"/impulse/termin/{impulse.id}/teilnehmende").status_code == 403
    # the series' organizer sees the list
    mine = app.test_client()
    login(mine, orga)
    page = mine.get(f"/impulse/termin/{impulse.id}/teilnehmende").get_data(as_text=True)
    assert "Ben Berg" in page and "Warteliste" in page


def test_a_public_series_is_visible_to_visitors(client, make_user, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1, audience="public")
    html = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert "Impuls 1" in html and "Melden Sie sich an" in html
    assert client.post(f"/impulse/{made.id}/anmelden").status_code in (302, 400, 401)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_register_and_give_back_through_the_pages(client, make_user, login, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1, dates=2)
    leader = make_user(name="Lea Leitung")
    login(client, leader)
    page = client.get(f"/impulse/{made.id}")
    token = csrf_from(page.get_data(as_text=True))
    assert (
        client.post(f"/impulse/{made.id}/anmelden", data={"csrf_token": token}).status_code == 302
    )
    rows = db.session.scalars(select(Registration).where(Registration.user_id == leader.id)).all()
    assert [r.status for r in rows] == ["confirmed", "confirmed"]
    first = made.impulses[0]
    resp = client.post(f"/impulse/termin/{first.id}/freigeben", data={"csrf_token": token})
    assert resp.status_code == 302
    db.session.expire_all()
    statuses = {r.impulse_id: r.status for r in db.session.scalars(select(Registration))}
    assert statuses == {first.id: "cancelled", made.impulses[1].id: "confirmed"}
    # giving back twice is a clear message, nothing changed
    resp = client.post(
        f"/impulse/termin/{first.id}/freigeben",
        data={"csrf_token": token},
        headers={"Referer": f"/impulse/{made.id}"},
    )
    assert resp.status_code == 302
    html = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert "nicht angemeldet" in html


def test_csv_for_german_excel(client, make_user, login, now):
    orga, made, _anna, _ben = _series_with_people(now, make_user)
    login(client, orga)
    resp = client.get(f"/impulse/termin/{made.impulses[0].id}/teilnehmende.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    body = resp.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Name", "Kommune", "E-Mail", "Status", "Anwesend"]
    assert rows[1][0] == '\'=HYPERLINK("x")' and rows[1][1] == "'+Neustadt"
    assert rows[1][3] == "Platz bestätigt" and rows[2][3] == "Warteliste"
    assert rows[2][0] == "Ben Berg"


def test_attendance_ticks(client, make_user, login, now):
    orga, made, anna, _ben = _series_with_people(now, make_user)
    impulse = made.impulses[0]
    login(client, orga)
    page = client.get(f"/impulse/termin/{impulse.id}/teilnehmende")
    row = db.session.scalar(select(Registration).where(Registration.user_id == anna.id))
    resp = client.post(
        f"/impulse/termin/{impulse.id}/teilnehmende",
        data={"anwesend": [str(row.id), "x"], "csrf_token": csrf_from(page.get_data(as_text=True))},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, row.id).attended is True


def test_edit_and_cancel_a_date_through_the_pages(client, make_user, login, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1, dates=2)
    first, second = made.impulses
    login(client, orga)
    page = client.get(f"/impulse/termin/{first.id}/bearbeiten")
    token = csrf_from(page.get_data(as_text=True))
    overlapping = second.starts_at.astimezone(BERLIN)
    resp = client.post(
        f"/impulse/termin/{first.id}/bearbeiten",
        data={
            "title": "Neu",
            "day": overlapping.date().isoformat(),
            "start_time": overlapping.strftime("%H:%M"),
            "minutes": "30",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 200 and "überschneidet" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Impulse, first.id).title == "Impuls 1"
    resp = client.post(f"/impulse/termin/{first.id}/absagen", data={"csrf_token": token})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Impulse, first.id).cancelled_at is not None
    assert "Abgesagt" in client.get(f"/impulse/{made.id}").get_data(as_text=True)


def test_a_registrant_downloads_the_date(client, make_user, login, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1)
    leader = make_user()
    registrations.register(made.impulses[0], leader, now=now)
    db.session.commit()
    login(client, leader)
    html = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    link = next(
        part.split('"')[0]
        for part in html.split('href="')[1:]
        if part.startswith("/kalender/impulses.impulse/")
    )
    resp = client.get(link)
    assert resp.status_code == 200 and b"BEGIN:VEVENT" in resp.data


def test_cancel_the_whole_series_and_change_its_link(client, make_user, login, now):
    from peerlab.notify.models import OutboxMail

    orga = make_user("organizer")
    made = make_series(now, orga, capacity=2, dates=2)
    leader = make_user()
    registrations.register_series(made, leader, now=now)
    db.session.commit()
    login(client, orga)
    page = client.get(f"/impulse/{made.id}/bearbeiten")
    resp = client.post(
        f"/impulse/{made.id}/bearbeiten",
        data={
            "title": "Kurzimpulse",
            "audience": "network",
            "default_minutes": "30",
            "capacity": "2",
            "deadline_hours": "0",
            "video_url": "https://meet.example.org/neu",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 302

    def count(kind):
        return db.session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.user_id == leader.id, OutboxMail.kind == kind)
        )

    assert count("invitation_update") == 2  # the new link, one update per date
    page = client.get(f"/impulse/{made.id}")
    resp = client.post(
        f"/impulse/{made.id}/absagen", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert all(i.cancelled_at is not None for i in db.session.get(Series, made.id).impulses)
    assert count("invitation_cancel") == 2
    other = make_user()
    member = client.application.test_client()
    login(member, other)
    token = csrf_from(member.get(f"/impulse/{made.id}").get_data(as_text=True))
    assert member.post(f"/impulse/{made.id}/absagen", data={"csrf_token": token}).status_code == 403
