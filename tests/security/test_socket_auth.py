"""Socket connections need a signed-in user or a valid guest pass."""

from __future__ import annotations

from peerlab.accounts.actors import GUEST_KEY
from peerlab.accounts.models import GuestPass
from peerlab.accounts.tokens import digest, new_secret
from peerlab.extensions import db
from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD
from tests.support.sockets import live_client


def _guest(now, *, revoked=False) -> str:
    token = new_secret()
    db.session.add(
        GuestPass(
            token_hash=digest(token),
            display_name="Gast",
            scope_kind="round",
            scope_id=1,
            created_at=now,
            revoked_at=now if revoked else None,
        )
    )
    db.session.commit()
    return token


def test_anonymous_socket_is_refused(app, client):
    assert not live_client(app, client).is_connected()


def test_guest_with_valid_pass_connects(app, client, now):
    token = _guest(now)
    with client.session_transaction() as sess:
        sess[GUEST_KEY] = token
    sock = live_client(app, client)
    assert sock.is_connected()
    sock.disconnect()


def test_revoked_or_made_up_guest_pass_is_refused(app, now):
    for token in (_guest(now, revoked=True), new_secret()):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess[GUEST_KEY] = token
        assert not live_client(app, client).is_connected()


def test_half_signed_in_admin_cannot_connect(app, client, make_user):
    admin = make_user("admin")
    post_form(client, "/anmelden", {"email": admin.email, "password": PASSWORD})
    assert not live_client(app, client).is_connected()


def test_forged_session_token_is_refused(app, client):
    with client.session_transaction() as sess:
        sess["_user_id"] = new_secret()
    assert not live_client(app, client).is_connected()
