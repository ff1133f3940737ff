"""Sign-out ends the server session: a copied cookie stops working, live sockets disconnect."""

from __future__ import annotations

from tests.conftest import csrf_from
from tests.support.sockets import live_client


def sign_out(client):
    page = client.get("/konto").get_data(as_text=True)
    return client.post("/abmelden", data={"csrf_token": csrf_from(page)})


def test_copied_cookie_no_longer_works_after_sign_out(app, client, make_user, login):
    login(client, make_user())
    cookie = client.get_cookie("peerlab_session")
    thief = app.test_client()
    thief.set_cookie("peerlab_session", cookie.value)
    assert thief.get("/konto").status_code == 200  # the copy works while the session lives
    assert sign_out(client).status_code == 302
    assert client.get("/konto").status_code == 302
    assert thief.get("/konto").status_code == 302  # ... and not after sign-out


def test_sign_out_disconnects_the_sessions_sockets(app, client, make_user, login):
    login(client, make_user())
    sock = live_client(app, client)
    assert sock.is_connected()
    sign_out(client)
    assert not sock.is_connected()


def test_sign_out_leaves_other_sessions_of_the_same_person(app, client, make_user, login):
    user = make_user()
    login(client, user)
    other = app.test_client()
    login(other, user)
    other_sock = live_client(app, other)
    sign_out(client)
    assert other.get("/konto").status_code == 200
    assert other_sock.is_connected()


def test_events_after_sign_out_are_refused(app, client, make_user, login):
    login(client, make_user())
    cookie = client.get_cookie("peerlab_session").value
    sign_out(client)
    replay = app.test_client()
    replay.set_cookie("peerlab_session", cookie)
    sock = live_client(app, replay)
    assert not sock.is_connected()


def test_sign_out_needs_csrf(client, make_user, login):
    login(client, make_user())
    assert client.post("/abmelden").status_code == 400
    assert client.get("/konto").status_code == 200
