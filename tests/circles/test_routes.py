"""Circle pages through HTTP: who sees what (404 for everyone else), forms and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerlab.circles import schedule
from peerlab.circles.models import Circle
from peerlab.circles.service import checkins, workspace
from peerlab.circles.service import circles as service
from peerlab.extensions import db
from tests.circles.conftest import BERLIN, People, actor, settings_from
from tests.conftest import csrf_from


@pytest.fixture
def signed(make_user) -> People:
    """People with passwords (they sign in through the real form)."""
    return People(
        orga=make_user("organizer", name="Olga Orga"),
        anna=make_user(name="Anna Amsel"),
        ben=make_user(name="Ben Berg"),
        carl=make_user(name="Carl Clausen"),
        outsider=make_user(name="Otto Außen"),
        admin=make_user("admin", name="Ada Admin"),
    )


@pytest.fixture
def circle(signed, clock):
    """Anna and Ben active (Ben left later in one test), Carl invited; Anna checked in and
    keeps a private relationship; set up by the organizer, who did not join."""
    now = clock.now()
    made = service.create_circle(
        settings_from(now, join=False, invitees=(signed.anna.id, signed.ben.id, signed.carl.id)),
        creator=signed.orga,
        now=now,
    )
    for person in (signed.anna, signed.ben):
        service.answer_invitation(made.id, actor(person), accept=True, now=now)
    checkins.save(
        made.id, actor(signed.anna), 1, checkins.CheckInText("GEHEIMER-CHECKIN", "weiter"), now=now
    )
    workspace.add_relationship(
        made.id, actor(signed.anna), name="PRIVATE-PERSON", closeness=4, note="", now=now
    )
    db.session.commit()
    return made


def _get(app, login, user, path):
    client = app.test_client()
    login(client, user)
    return client.get(path)


def test_who_sees_which_page(app, login, signed, circle, clock):
    page = f"/circles/{circle.id}"
    pages = (page, f"{page}/check-in/1", f"{page}/ziel", f"{page}/arbeitsbereich")
    service.leave(circle.id, actor(signed.ben), now=clock.now())
    db.session.commit()

    anna = app.test_client()
    login(anna, signed.anna)
    html = anna.get(page).get_data(as_text=True)
    assert "GEHEIMER-CHECKIN" in html and "Treffen 1 von 12" in html
    assert "PRIVATE-PERSON" not in html  # her own workspace is on its own page
    assert anna.get(f"/kalender/circles.circle/{circle.id}.ics").status_code == 200
    for path in pages:
        assert anna.get(path).status_code == 200, path
    assert "PRIVATE-PERSON" in anna.get(f"{page}/arbeitsbereich").get_data(as_text=True)

    orga = app.test_client()
    login(orga, signed.orga)
    overview = orga.get(page)
    text = overview.get_data(as_text=True)
    assert overview.status_code == 200 and "Anna Amsel" in text
    assert "GEHEIMER-CHECKIN" not in text and "PRIVATE-PERSON" not in text
    for path in pages[1:]:
        assert orga.get(path).status_code == 404, path

    for user in (signed.ben, signed.carl, signed.outsider, signed.admin):  # former, invited, ...
        client = app.test_client()
        login(client, user)
        for path in (*pages, f"/kalender/circles.circle/{circle.id}.ics"):
            assert client.get(path).status_code == 404, (user.name, path)
    assert app.test_client().get(page).status_code in (302, 401)


def test_invitation_page_accept(app, login, signed, circle):
    client = app.test_client()
    login(client, signed.carl)
    page = client.get(f"/circles/{circle.id}/einladung")
    html = page.get_data(as_text=True)
    assert "Anna Amsel" in html and "Dienstag" in html and "GEHEIMER-CHECKIN" not in html
    resp = client.post(
        f"/circles/{circle.id}/einladung", data={"csrf_token": csrf_from(html), "antwort": "zusage"}
    )
    assert resp.status_code == 302
    assert "GEHEIMER-CHECKIN" in client.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert client.get(f"/circles/{circle.id}/einladung").status_code == 404


def test_create_through_the_form_and_bad_input_writes_nothing(app, login, signed, clock):
    client = app.test_client()
    login(client, signed.anna)
    html = client.get("/circles/neu").get_data(as_text=True)
    assert 'name="join"' not in html  # a member always takes part in a circle they start
    start = clock.now().astimezone(BERLIN).date() + timedelta(days=3)
    data = {
        "csrf_token": csrf_from(html),
        "name": "Offene Daten",
        "weekday": "2",
        "local_time": "17:30",
        "zone": "Europe/Berlin",
        "start_date": start.isoformat(),
        "video_url": "https://meet.example.org/od",
        "language": "de",
        "invitees": [str(signed.ben.id)],
    }
    for bad in (
        {"start_date": (start - timedelta(days=10)).isoformat()},
        {"video_url": "javascript:alert(1)"},
        {"local_time": "25:99"},
        {"invitees": []},
        {"name": ""},
        {"zone": "Nirgendwo/Stadt"},
    ):
        resp = client.post("/circles/neu", data={**data, **bad})
        assert resp.status_code == 422, bad
        assert db.session.scalar(select(func.count()).select_from(Circle)) == 0
    resp = client.post("/circles/neu", data=data)
    assert resp.status_code == 302
    made = db.session.scalars(select(Circle)).one()
    assert made.weekday == 2 and schedule.of(made)[0].starts_at.astimezone(BERLIN).hour == 17


def test_checkin_and_goal_forms(app, login, signed, circle, clock):
    client = app.test_client()
    login(client, signed.anna)
    path = f"/circles/{circle.id}/check-in/1"
    html = client.get(path).get_data(as_text=True)
    resp = client.post(
        path,
        data={
            "csrf_token": csrf_from(html),
            "happened": "Neu",
            "next_step": "Schritt",
            "need_help": "",
        },
    )
    assert resp.status_code == 302
    long_goal = " ".join(["Wort"] * 30)
    goal = f"/circles/{circle.id}/ziel"
    html = client.get(goal).get_data(as_text=True)
    assert 'data-word-limit="25"' in html and 'aria-live="polite"' in html
    resp = client.post(
        goal, data={"csrf_token": csrf_from(html), "text": long_goal}, follow_redirects=True
    )
    assert "merkt man sich leichter" in resp.get_data(as_text=True)  # a hint, saved anyway
    assert long_goal in resp.get_data(as_text=True)
    clock.set(schedule.of(circle)[0].starts_at + timedelta(minutes=1))
    html = client.get(path).get_data(as_text=True)
    assert "nicht mehr änderbar" in html and "<textarea" not in html


def test_workspace_posts_are_the_owners_only_and_bad_input_writes_nothing(
    app, login, signed, circle
):
    from peerlab.circles.models import Relationship

    [entry] = db.session.scalars(select(Relationship)).all()
    base = f"/circles/{circle.id}/arbeitsbereich"
    anna = app.test_client()
    login(anna, signed.anna)
    token = csrf_from(anna.get(base).get_data(as_text=True))
    for bad in (
        {"name": "", "closeness": "2"},
        {"name": "X", "closeness": "9"},
        {"name": "X", "closeness": "drei"},
        {"name": "X" * 121, "closeness": "1"},
    ):
        resp = anna.post(f"{base}/beziehung", data={"csrf_token": token, **bad})
        assert resp.status_code == 422, bad
    assert db.session.scalar(select(func.count()).select_from(Relationship)) == 1
    assert (
        anna.post(
            f"{base}/relationship/{entry.id}", data={"csrf_token": token, "aktion": "quatsch"}
        ).status_code
        == 400
    )

    for user in (signed.orga, signed.admin, signed.outsider, signed.ben):
        client = app.test_client()
        login(client, user)
        page = client.get("/circles/").get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "aktion": "teilen"}
        resp = client.post(f"{base}/relationship/{entry.id}", data=data)
        assert resp.status_code == 404, user.name
        if user is not signed.ben:  # Ben, a member, would write into his own workspace
            resp = client.post(f"{base}/beziehung", data={**data, "name": "X", "closeness": "1"})
            assert resp.status_code == 404, user.name
    db.session.expire_all()
    assert db.session.get(Relationship, entry.id).shared is False
    assert db.session.scalar(select(func.count()).select_from(Relationship)) == 1


def test_join_now_opens_around_the_meeting(app, signed, circle, clock):
    from peerlab.core import joining

    first = schedule.of(circle)[0]
    with app.test_request_context():
        clock.set(first.starts_at - timedelta(minutes=16))
        assert joining.join_url("circles.circle", circle.id, signed.anna, clock.now()) is None
        clock.set(first.starts_at - timedelta(minutes=14))
        url = joining.join_url("circles.circle", circle.id, signed.anna, clock.now())
        assert url == f"/circles/{circle.id}"
        for user in (signed.orga, signed.carl, signed.outsider, signed.admin):
            assert joining.join_url("circles.circle", circle.id, user, clock.now()) is None
        clock.set(first.ends_at + timedelta(minutes=31))  # meeting 2 is a week away
        assert joining.join_url("circles.circle", circle.id, signed.anna, clock.now()) is None


def test_dashboard_lists_the_open_checkin_and_the_invitation(app, login, signed, circle):
    ben = app.test_client()
    login(ben, signed.ben)
    html = ben.get("/").get_data(as_text=True)
    assert "Check-in für Treffen 1 schreiben" in html
    assert f"/circles/{circle.id}/check-in/1" in html
    carl = app.test_client()
    login(carl, signed.carl)
    html = carl.get("/").get_data(as_text=True)
    assert f"/circles/{circle.id}/einladung" in html and "GEHEIMER-CHECKIN" not in html


def test_the_circle_page_in_english(app, login, signed, circle):
    client = app.test_client()
    login(client, signed.anna)
    page = client.get("/").get_data(as_text=True)
    client.post("/sprache", data={"lang": "en", "csrf_token": csrf_from(page)})
    html = client.get(f"/circles/{circle.id}").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Meeting 1 of 12: Arriving and finding a goal" in html
    assert "every Tuesday at 18:00" in html
