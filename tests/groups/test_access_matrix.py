"""Every group route and socket event, for every kind of person: generated from the app's url
map, so a new group route without an entry here fails. Denied people get 404 (a visitor the
sign-in page) and the answer names neither the group nor anyone in it."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.conftest import csrf_from, sign_in
from tests.groups.world import NAME, PSEUDONYM, ROLES, World, build
from tests.support.sockets import live_client

MEMBERS = {"member", "owner"}
SIGNED_IN = set(ROLES) - {"visitor"}

# endpoint -> (who may, url values). Order matters: destructive actions come last.
ENTRIES: dict[str, tuple[set[str], object]] = {
    "groups.index": (SIGNED_IN, lambda w: {}),
    "groups.create": (SIGNED_IN, lambda w: {}),
    "groups.show": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.members": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.notes": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.thread": (MEMBERS, lambda w: _thread(w)),
    "groups.thread_posts": (MEMBERS, lambda w: _thread(w)),
    "groups.invitation": ({"invited"}, lambda w: {"secret": w.secret}),
    "groups.start_thread": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.reply": (MEMBERS, lambda w: _thread(w)),
    "groups.invite_account": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.invite_address": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.invite_link": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.report_post": (MEMBERS, lambda w: _post(w, "carl")),
    "groups.anonymous_off": ({"owner"}, lambda w: {"group_id": w.group.id}),
    "groups.make_owner": ({"owner"}, lambda w: _row(w, "carl")),
    "groups.edit_post": ({"member"}, lambda w: _post(w, "member")),
    "groups.delete_post": ({"member"}, lambda w: _post(w, "member")),
    "groups.remove_post": ({"owner"}, lambda w: _post(w, "carl")),
    "groups.remove_member": ({"owner"}, lambda w: _row(w, "dora")),
    "groups.schedule_round": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.open_round": (MEMBERS, lambda w: {"group_id": w.group.id, "round_id": _round(w)}),
    "groups.own_download": (MEMBERS, lambda w: {"group_id": w.group.id}),
    # the bare POST lacks the confirmation: 422 for the owner, the group stays
    "groups.end": ({"owner"}, lambda w: {"group_id": w.group.id}),
    "coaching.create_in_group": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "groups.leave": (MEMBERS, lambda w: {"group_id": w.group.id}),
}


def _round(w: World) -> int:
    """A round of the group, scheduled by its owner (made once per world)."""
    if "round_id" not in w.__dict__:
        from tests.groups.rounds_support import schedule

        w.__dict__["round_id"] = schedule(w.group, w.users["owner"]).id
    return w.__dict__["round_id"]


def _thread(w: World) -> dict:
    return {"group_id": w.group.id, "thread_id": w.thread.public_id}


def _post(w: World, who: str) -> dict:
    return {"group_id": w.group.id, "post_id": w.posts[who].public_id}


def _row(w: World, who: str) -> dict:
    return {"group_id": w.group.id, "membership_id": w.rows[who].id}


def _group_rules(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        # the groups blueprint and every other feature's route scoped to a group
        if rule.endpoint.startswith("groups.") or "group_id" in rule.arguments:
            found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


def test_every_group_route_has_an_entry(app):
    assert set(_group_rules(app)) == set(ENTRIES)


SECRETS = (NAME, PSEUDONYM, "Anna Amsel", "Ben Berg", "Carl Clausen", "Beitrag von")


def _leaks(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, make_user, now, role):
    world = build(make_user, now, signed=role)
    client = app.test_client()
    if role != "visitor":
        sign_in(client, world.users[role])
    _socket_events(app, client, world, role)
    page = "/gruppen/neu" if role != "visitor" else "/anmelden"
    token = csrf_from(client.get(page).get_data(as_text=True))
    rules = _group_rules(app)

    for endpoint, (allowed, values) in ENTRIES.items():
        with app.test_request_context():
            url = url_for(endpoint, **values(world))
        for method in sorted(rules[endpoint]):
            if method == "GET":
                resp = client.get(url)
            else:
                resp = client.post(url, data={"csrf_token": token})
            body = resp.get_data(as_text=True)
            where = f"{role} {method} {endpoint}"
            if role == "visitor":
                assert resp.status_code == 302 and "/anmelden" in resp.location, where
            elif role in allowed:
                assert resp.status_code in (200, 201, 302, 422), (where, resp.status_code)
            else:
                assert resp.status_code == 404, (where, resp.status_code)
                assert not _leaks(body), (where, _leaks(body))


# socket event -> (who may, payload). Generated check: every event of the namespace is here.
SOCKET_ENTRIES = {
    "group:watch": (MEMBERS, lambda w: {"group_id": w.group.id}),
    "group:anonymous": (
        MEMBERS,
        lambda w: {"group_id": w.group.id, "thread_id": w.thread.public_id, "body": "x"},
    ),
    "group:anonymous_edit": (
        set(),  # nobody without the author's token
        lambda w: {
            "group_id": w.group.id,
            "post_id": w.posts["member"].public_id,
            "token": "kein-token",
            "body": "x",
        },
    ),
    "group:anonymous_delete": (
        set(),
        lambda w: {
            "group_id": w.group.id,
            "post_id": w.posts["member"].public_id,
            "token": "kein-token",
        },
    ),
}


def test_every_socket_event_has_an_entry(app):
    from peerlab.core import live

    assert set(live.registry(app).namespaces["/groups"].events) == set(SOCKET_ENTRIES)


def _socket_events(app, http, world: World, role: str) -> None:
    """The live room: only members may act; presence, typing and read events do not exist."""
    sock = live_client(app, http, namespace="/groups")
    if role == "visitor":
        assert not sock.is_connected()
        return
    for event, (allowed, payload) in SOCKET_ENTRIES.items():
        ack = sock.emit(event, payload(world), callback=True)
        if role in allowed:
            # watching works; an anonymous post is refused only by the floor (three others)
            assert ack["ok"] or ack["error"] == "anonymous_floor", (role, event, ack)
        else:
            assert ack["ok"] is False and ack["error"] == "not_found", (role, event, ack)
            assert not _leaks(str(ack))
    for event in ("presence:join", "typing", "read", "group:presence"):
        refused = sock.emit(event, {"group_id": world.group.id}, callback=True)
        assert refused["ok"] is False and refused["error"] == "unknown_event"
    bad = sock.emit("group:watch", {"group_id": "x"}, callback=True)
    assert bad["ok"] is False
    sock.disconnect()
