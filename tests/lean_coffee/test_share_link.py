""" "Link teilen" on the round page: facilitators get the guest link (link rounds) or the round's
address (invited rounds) with a copy button and a QR code that peerlab serves itself."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.pages import share


def _client(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_facilitator_of_a_link_round_shares_the_guest_link(app, make_round, login):
    cast = make_round(signed_in=True, access="link")
    client = _client(app, login, cast.users["orga"])
    page = client.get(f"/runden/{cast.round.id}").get_data(as_text=True)
    token = access.link_token(cast.round)
    assert 'id="lc-share"' in page and "Link teilen" in page
    field = re.search(r'id="lc-share-url"[^>]*value="([^"]+)"', page).group(1)
    assert field == f"http://localhost/runden/{cast.round.id}/beitreten/{token}"
    assert "data-share-copy" in page and "Link kopiert" in page  # copy + its announcement
    qr = re.search(r'<img class="pl-share__qr" src="([^"]+)"[^>]*alt="([^"]+)"', page, re.S)
    assert qr.group(1) == f"/runden/{cast.round.id}/teilen.svg" and "QR-Code" in qr.group(2)
    assert "/static/js/shell/share.js" in page

    resp = client.get(qr.group(1))
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert "no-store" in resp.headers["Cache-Control"]
    svg = ET.fromstring(resp.data)
    assert svg.tag.endswith("svg") and b"<script" not in resp.data


def test_an_invited_round_shares_its_own_address(app, make_round, login):
    cast = make_round(signed_in=True, access="invited")
    page = _client(app, login, cast.users["orga"]).get(f"/runden/{cast.round.id}")
    html = page.get_data(as_text=True)
    field = re.search(r'id="lc-share-url"[^>]*value="([^"]+)"', html).group(1)
    assert field == f"http://localhost/runden/{cast.round.id}"
    assert "Nur eingeladene Personen" in html


def test_participants_get_no_share_box_and_no_qr(app, make_round, login):
    cast = make_round(signed_in=True, access="link")
    client = _client(app, login, cast.users["anna"])
    page = client.get(f"/runden/{cast.round.id}").get_data(as_text=True)
    assert 'id="lc-share"' not in page and access.link_token(cast.round) not in page
    assert client.get(f"/runden/{cast.round.id}/teilen.svg").status_code == 403
    outsider = make_round(signed_in=True).users["anna"]
    resp = _client(app, login, outsider).get(f"/runden/{cast.round.id}/teilen.svg")
    assert resp.status_code == 404
    assert app.test_client().get(f"/runden/{cast.round.id}/teilen.svg").status_code == 401


def test_a_revoked_link_leaves_nothing_to_share(app, make_round, login):
    cast = make_round(signed_in=True, access="link")
    cast.round.link_nonce = None
    db.session.commit()
    client = _client(app, login, cast.users["orga"])
    page = client.get(f"/runden/{cast.round.id}").get_data(as_text=True)
    assert re.search(r'<section class="pl-share" id="lc-share"[^>]*hidden', page)
    assert client.get(f"/runden/{cast.round.id}/teilen.svg").status_code == 404


def test_a_closed_invited_round_shares_nothing(app, make_round, login):
    cast = make_round(signed_in=True, access="invited")
    cast.round.phase = "closed"
    db.session.commit()
    client = _client(app, login, cast.users["orga"])
    page = client.get(f"/runden/{cast.round.id}").get_data(as_text=True)
    assert f'value="http://localhost/runden/{cast.round.id}"' not in page
    assert client.get(f"/runden/{cast.round.id}/teilen.svg").status_code == 404


def test_the_qr_code_is_plain_svg_and_refuses_no_link_or_a_huge_one():
    svg = share.qr_svg("https://peerlab.example/runden/1")
    assert svg.startswith(b"<svg") and b"<script" not in svg and b"style=" not in svg
    for bad in ("", "x" * 3000):
        with pytest.raises(ValueError):
            share.qr_svg(bad)
