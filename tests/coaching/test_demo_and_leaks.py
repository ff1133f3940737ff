"""The demo's upcoming session, and a leak hunt for anonymous cards: no payload anyone else
receives, no page and no export names the author."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.coaching.integration import export_user
from peerlab.coaching.models import CoachingCard, CoachingSession
from peerlab.coaching.service import setup
from peerlab.extensions import db
from tests.coaching.test_live import call, connect


def test_demo_has_one_upcoming_session(app, clock):
    from peerlab import demo

    clock.set(clock.now() + timedelta(days=100))  # any date: nothing depends on today
    assert demo.load()
    session = db.session.scalars(select(CoachingSession)).one()
    assert session.starts_at > clock.now()
    roles = sorted(r.role for r in setup.members(session))
    assert roles == ["adviser", "adviser", "adviser", "case_giver", "moderator"]


def test_anonymous_card_author_reaches_nobody(app, login, make_session, cast, clock):
    session = make_session(advisers=5)
    sid = session.id
    author = cast.advisers[0]
    socks = {u.id: connect(app, login, u) for u in [cast.giver, cast.moderator, *cast.advisers]}
    for sock in socks.values():
        assert call(sock, "session:join", session_id=sid)["ok"]
    mod = socks[cast.moderator.id]
    assert call(mod, "agenda:start", session_id=sid)["ok"]
    for index in range(3):
        assert call(mod, "agenda:advance", session_id=sid, expected_index=index)["ok"]
    for sock in socks.values():
        sock.get_received()
    added = call(socks[author.id], "card:add", session_id=sid, text="Geheime Frage", anonymous=True)
    assert added["ok"] and added["token"]
    for uid, sock in socks.items():
        if uid == author.id:
            continue
        received = json.dumps(sock.get_received(), ensure_ascii=False)
        assert "Geheime Frage" in received  # they did get the card …
        for state in [m for m in json.loads(received) if m["name"] == "session:state"]:
            card = next(c for c in state["args"][0]["cards"] if c["text"] == "Geheime Frage")
            assert card["author"] is None and card["anonymous"] is True  # … without its author
        assert added["token"] not in received
        page = sock.http.get(f"/beratung/{sid}").get_data(as_text=True)
        assert "Geheime Frage" not in page  # the page itself carries no card content
        export = json.dumps(export_user(db.session.get(User, uid)), ensure_ascii=False)
        assert "Geheime Frage" not in export
    # The author may withdraw it with the token, nobody else can (not even with the author's id).
    other = socks[cast.advisers[1].id]
    refused = call(other, "card:withdraw", session_id=sid, card_id=added["card_id"])
    assert refused["ok"] is False
    assert db.session.get(CoachingCard, added["card_id"]).author_id is None  # no author stored
    mine = call(
        socks[author.id],
        "card:withdraw",
        session_id=sid,
        card_id=added["card_id"],
        token=added["token"],
    )
    assert mine["ok"]
