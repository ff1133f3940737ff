"""A group's Lean Coffee round from every side: every route that takes a round id (generated
from the url map, so a new one without an entry fails), its calendar download and every socket
event of the Lean Coffee namespace. Members of the group get in; non-members, former and removed
members, an organizer and an admin who are not members get 404 (a visitor the sign-in page),
and no answer names the group, the round or anyone in it."""

from __future__ import annotations

import pytest
from flask import url_for

from peerlab.extensions import db
from peerlab.lean_coffee.models import Topic
from tests.conftest import csrf_from, sign_in
from tests.groups.rounds_support import ROUND_TITLE, join, place, schedule
from tests.groups.world import NAME, PSEUDONYM, ROLES, build
from tests.support.sockets import live_client

MEMBERS = {"owner", "member"}  # the owner schedules (and facilitates), Ben takes part
NOBODY: set[str] = set()
SECRETS = (NAME, PSEUDONYM, ROUND_TITLE, "Anna Amsel", "Ben Berg", "Thema der Gruppe")

# endpoint -> (who gets past the access check, url values). Destructive ones come last.
ROUTES = {
    "groups.open_round": (MEMBERS, lambda w: {"group_id": w.group.id, "round_id": w.rid}),
    "lean_coffee.show_round": (MEMBERS, lambda w: {"round_id": w.rid}),
    "lean_coffee.summary": (MEMBERS, lambda w: {"round_id": w.rid}),
    "lean_coffee.edit_round": ({"owner"}, lambda w: {"round_id": w.rid}),
    # what would leave the group: refused for everyone (a member who is not facilitating
    # gets 403 for the facilitators' actions, the facilitator 404)
    "lean_coffee.summary_markdown": (NOBODY, lambda w: {"round_id": w.rid}),
    "lean_coffee.summary_as_pdf": (NOBODY, lambda w: {"round_id": w.rid}),
    "lean_coffee.mail_summary": (NOBODY, lambda w: {"round_id": w.rid}),
    "lean_coffee.follow_up": (NOBODY, lambda w: {"round_id": w.rid}),
    "lean_coffee.share_qr": (NOBODY, lambda w: {"round_id": w.rid}),
    "lean_coffee.join": (NOBODY, lambda w: {"round_id": w.rid, "token": "x" * 40}),
    "lean_coffee.confirm_delete": ({"owner"}, lambda w: {"round_id": w.rid}),
    "lean_coffee.cancel_round": ({"owner"}, lambda w: {"round_id": w.rid}),
    "lean_coffee.delete_round": ({"owner"}, lambda w: {"round_id": w.rid}),
}


def _round_rules(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if "round_id" in rule.arguments:
            found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


def test_every_round_route_has_an_entry(app):
    assert set(_round_rules(app)) == set(ROUTES)


def _leaks(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


def _world(make_user, now, role):
    world = build(make_user, now, signed=role)
    rnd = schedule(world.group, world.users["owner"])
    world.__dict__["rid"] = rnd.id
    world.__dict__["round"] = rnd
    return world


@pytest.mark.parametrize("role", ROLES)
def test_round_routes_and_calendar(app, make_user, now, role):
    world = _world(make_user, now, role)
    client = app.test_client()
    if role != "visitor":
        sign_in(client, world.users[role])
    token = csrf_from(client.get("/gruppen/neu" if role != "visitor" else "/anmelden").text)
    rules = _round_rules(app)
    with app.test_request_context():
        ics = url_for("ical.download", kind="lean_coffee.round", subject_id=world.rid)
    resp = client.get(ics)
    if role in MEMBERS:
        assert resp.status_code == 200 and "Vertraulicher Termin (peerlab)" in resp.text
        assert not _leaks(resp.text)
    elif role == "visitor":
        assert resp.status_code in (302, 401, 404)
    else:
        assert resp.status_code == 404 and not _leaks(resp.text)
    for endpoint, (allowed, values) in ROUTES.items():
        with app.test_request_context():
            url = url_for(endpoint, **values(world))
        for method in sorted(rules[endpoint]):
            resp = (
                client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            )
            where = (role, method, endpoint, resp.status_code)
            if role == "visitor":
                assert resp.status_code in (302, 401, 404), where
                assert not _leaks(resp.get_data(as_text=True)), where
            elif role in allowed:
                assert resp.status_code in (200, 302), where
            elif role in MEMBERS:  # a member, but not for this
                assert resp.status_code in (403, 404), where
            else:
                assert resp.status_code == 404, where
                assert not _leaks(resp.get_data(as_text=True)), where


# Values for every field a Lean Coffee event may take (the payload is built from the event's
# declared fields, so a new event is covered too).
FIELD_VALUES = {
    "title": "Thema der Gruppe",
    "detail": "",
    "anonymous": False,
    "direction": "up",
    "to": "vote",
    "seconds": 60,
    "value": "up",
    "decision": "next",
    "text": "Erkenntnis",
    "what": "Aufgabe",
    "owner_name": "",
    "due_on": "",
    "cofacilitator": True,
    "tokens": "",
    "token": "kein-schluessel",
}


def _payload(spec, world, topic_id: int) -> dict:
    data = {}
    for name in spec.fields:
        if name == "round_id":
            data[name] = world.rid
        elif name in ("topic_id", "into_topic_id"):
            data[name] = topic_id
        elif name in ("participant_id", "owner_participant_id"):
            data[name] = place(world.round, world.users["member"]).id
        elif name in ("takeaway_id", "action_id"):
            data[name] = 1
        else:
            data[name] = FIELD_VALUES[name]
    return data


@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_every_round_event(app, make_user, now, role):
    from peerlab.core import live
    from peerlab.lean_coffee.service import topics

    world = _world(make_user, now, role)
    join(world.round, world.users["owner"])
    topic = topics.add_topic(
        world.round, place(world.round, world.users["owner"]), "Vorab", now=now
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, world.users[role])
    sock = live_client(app, client)
    events = live.registry(app).namespaces["/lean-coffee"].events
    assert events, "the Lean Coffee namespace declares its events"
    for name, spec in events.items():
        ack = sock.emit(name, _payload(spec, world, topic.id), callback=True)
        where = (role, name, ack)
        if role in MEMBERS:
            assert ack.get("error") != "not_found" or name in ("takeaway:delete", "action:delete")
        else:
            assert ack["ok"] is False and ack["error"] == "not_found", where
            assert not _leaks(str(ack)), where
    for message in sock.get_received():
        assert role in MEMBERS or not _leaks(str(message)), message
    sock.disconnect()
    if role not in MEMBERS:
        assert db.session.query(Topic).filter_by(round_id=world.rid).count() == 1
