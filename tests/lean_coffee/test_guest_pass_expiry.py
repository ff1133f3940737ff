"""A guest pass admits its holder for GUEST_PASS_DAYS, then no longer (pages and sockets)."""

from __future__ import annotations

from tests.conftest import csrf_from
from tests.support.sockets import live_client


def test_guest_pass_expires(app, make_round, clock):
    from peerlab.lean_coffee import access

    cast = make_round()
    guest = app.test_client()
    url = f"/runden/{cast.round.id}/beitreten/{access.link_token(cast.round)}"
    page = guest.get(url).get_data(as_text=True)
    guest.post(url, data={"display_name": "Gerda", "csrf_token": csrf_from(page)})
    assert guest.get(f"/runden/{cast.round.id}").status_code == 200
    assert live_client(app, guest).is_connected()

    clock.advance(app.config["GUEST_PASS_DAYS"] * 86400 + 60)
    resp = guest.get(f"/runden/{cast.round.id}")  # the pass is over: a sign-in page, no board
    assert resp.status_code == 302 and resp.location.startswith("/anmelden")
    assert not live_client(app, guest).is_connected()
