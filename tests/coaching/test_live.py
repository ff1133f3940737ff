"""Live: five sockets (case giver, moderator, three advisers) run the method; a reconnect;
refusals change nothing; the moderator drops and the named deputy takes over."""

from __future__ import annotations

from sqlalchemy import func, select

from peerlab.coaching.models import CoachingCard, CoachingKeep, CoachingSession
from peerlab.core import due
from peerlab.core.live.actions import LiveAction
from peerlab.extensions import db
from tests.support.sockets import live_client

NS = "/coaching"


def connect(app, login, user):
    http = app.test_client()
    login(http, user)
    sock = live_client(app, http, namespace=NS)
    sock.http = http
    return sock


def call(sock, event, **payload):
    return sock.emit(event, payload, callback=True)


def states(sock):
    return [m["args"][0] for m in sock.get_received() if m["name"] == "session:state"]


def test_five_sockets_run_the_whole_method(app, login, make_session, cast, clock):
    session = make_session(advisers=3)
    sid = session.id
    giver = connect(app, login, cast.giver)
    mod = connect(app, login, cast.moderator)
    advisers = [connect(app, login, u) for u in cast.advisers[:3]]
    everyone = [giver, mod, *advisers]
    for sock in everyone:
        ack = call(sock, "session:join", session_id=sid)
        assert ack["ok"], ack
    assert call(giver, "session:join", session_id=sid)["me"]["try_line"] == ""

    assert call(advisers[0], "agenda:start", session_id=sid)["error"] == "not_allowed_now"
    assert call(mod, "agenda:start", session_id=sid)["ok"]
    step = call(mod, "agenda:advance", session_id=sid, expected_index=0)
    assert step["ok"]
    for sock in everyone:
        sock.get_received()

    # The case story: only the case giver writes; an adviser's card is refused.
    refused = call(advisers[0], "card:add", session_id=sid, text="Warum?", anonymous=False)
    assert refused["ok"] is False and refused["error"] == "not_allowed_now"
    assert db.session.scalar(select(func.count(CoachingCard.id))) == 0
    assert call(giver, "key:set", session_id=sid, text="Wie schütze ich mein Team?")["ok"]
    seen = {s["key_question"] for s in [states(sock)[-1] for sock in everyone]}
    assert seen == {"Wie schütze ich mein Team?"}

    # Reconnect mid-phase: the same deadline and server time as everyone else.
    before = call(advisers[1], "session:sync", session_id=sid)["snapshot"]
    advisers[1].disconnect()
    advisers[1] = connect(app, login, cast.advisers[1])
    again = call(advisers[1], "session:join", session_id=sid)["snapshot"]
    assert again["phase"] == "story"
    assert again["agenda"]["timer"]["ends_at"] == before["agenda"]["timer"]["ends_at"]

    for index in (1, 2):
        assert call(mod, "agenda:advance", session_id=sid, expected_index=index)["ok"]
    added = call(
        advisers[0],
        "card:add",
        session_id=sid,
        text="Seit wann?",
        anonymous=False,
        request_id="karte-request-0001",
    )
    assert added["ok"] and added["token"] is None
    # cards may be anonymous: no record of who sent which card, whatever the client sends
    assert db.session.scalar(select(func.count()).select_from(LiveAction)) == 0
    anon = call(advisers[0], "card:add", session_id=sid, text="Heimlich", anonymous=True)
    assert anon["error"] == "anonymity_floor"  # three advisers: only two others could write
    assert call(mod, "agenda:advance", session_id=sid, expected_index=3)["ok"]
    hyp = call(
        advisers[2], "card:add", session_id=sid, text="Der Rat ist gespalten", anonymous=False
    )
    assert call(giver, "card:mark", session_id=sid, card_id=hyp["card_id"], marked=True)["ok"]
    assert call(mod, "agenda:advance", session_id=sid, expected_index=4)["ok"]
    assert (
        call(giver, "card:add", session_id=sid, text="Ich", anonymous=False)["error"]
        == "not_allowed_now"
    )
    prop = call(
        advisers[1], "card:add", session_id=sid, text="Bündnis mit Nachbarn", anonymous=False
    )
    assert prop["ok"]

    # The moderator names a deputy and drops; the deputy takes over.
    deputy_row = states(mod)[-1]["people"]
    deputy_id = next(p["membership_id"] for p in deputy_row if p["name"] == "Berater 3")
    assert call(mod, "deputy:set", session_id=sid, deputy_id=deputy_id)["ok"]
    assert call(advisers[2], "moderation:take", session_id=sid)["error"] == "moderator_present"
    mod.disconnect()
    took = call(advisers[2], "moderation:take", session_id=sid)
    assert took["ok"] and took["me"]["role"] == "moderator" and took["me"]["may"]["facilitate"]
    assert call(advisers[2], "agenda:advance", session_id=sid, expected_index=5)["ok"]
    assert call(giver, "try:set", session_id=sid, text="Bürgermeisterrunde anrufen")["ok"]
    for sock in (advisers[0], advisers[1]):
        assert "Bürgermeisterrunde" not in str(sock.get_received())

    # Closing: time runs out and waits; the (new) moderator ends the session.
    clock.advance(6 * 60)
    due.run_due(clock.now())
    assert states(giver)[-1]["agenda"]["status"] == "waiting"
    ended = call(advisers[2], "session:end", session_id=sid)
    assert ended == {"ok": True, "kept": True}
    assert any(m["name"] == "session:ended" for m in giver.get_received())
    db.session.expire_all()
    assert db.session.get(CoachingSession, sid) is None
    keep = db.session.scalar(select(CoachingKeep))
    assert "Der Rat ist gespalten" in keep.cards and "Berater" not in keep.cards
    assert keep.try_line == "Bürgermeisterrunde anrufen"
    assert call(giver, "session:join", session_id=sid)["error"] == "not_found"


def test_outsiders_and_the_organizer_get_nothing(app, login, make_session, cast):
    session = make_session()
    for user in (cast.orga, cast.outsider):
        sock = connect(app, login, user)
        ack = call(sock, "session:join", session_id=session.id)
        assert ack == {"ok": False, "error": "not_found", "message": ack["message"]}
        page = sock.http.get(f"/beratung/{session.id}")
        if user is cast.orga:  # the overview without any content
            assert page.status_code == 200 and "keine Inhalte" in page.get_data(as_text=True)
        else:
            assert page.status_code == 404
            assert sock.http.get(f"/beratung/{session.id}/ablauf").status_code == 404
