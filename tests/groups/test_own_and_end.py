"""A member's own download ("Meine Beiträge herunterladen") and ending a group by hand
("Gruppe beenden"), per role, with what the file holds and what ending leaves behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import func, select

from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import (
    SPACE_KIND,
    Group,
    GroupMember,
    Invitation,
    Note,
    Post,
    Report,
    Thread,
)
from peerlab.groups.service import anonymous, threads
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from, sign_in
from tests.groups.conftest import REAL, join_by_link
from tests.groups.test_access_matrix import ENTRIES, _group_rules
from tests.groups.test_expiry import _mail_texts
from tests.groups.world import NAME, PSEUDONYM, ROLES, build
from tests.support.sockets import live_client

ANON = "Anonym-Marker-77c1"
MINE = ("Beitrag von Ben", "Erstes Thema", PSEUDONYM)
OTHERS = ("Beitrag von Carl", "Beitrag von Anna", "Hallo aus der Gruppe", ANON)


def _world(app, make_user, now, role):
    """The shared world plus a fifth active member, so the member may post anonymously."""
    world = build(make_user, now, signed=role)
    eva = make_user("member", name="Eva Ende", totp=False)
    join_by_link(world.group, world.rows["owner"], eva, REAL, now)
    anonymous.post(world.group, world.rows["member"], world.thread, ANON, now=now)
    db.session.commit()
    client = app.test_client()
    if role != "visitor":
        sign_in(client, world.users[role])
    return world, client


@pytest.mark.parametrize("role", ROLES)
def test_own_download_per_role(app, make_user, now, role):
    world, client = _world(app, make_user, now, role)
    resp = client.get(f"/gruppen/{world.group.id}/meine-beitraege")
    body = resp.get_data(as_text=True)
    if role == "visitor":
        assert resp.status_code == 302 and "/anmelden" in resp.location
        return
    if role not in ("member", "owner"):
        assert resp.status_code == 404, role
        assert NAME not in body and "Beitrag von" not in body
        return
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert NAME not in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "private, no-store"
    assert resp.mimetype == "text/markdown"
    assert "Erstes Thema" in body
    if role == "member":
        for text in MINE:
            assert text in body, text
        for text in OTHERS:
            assert text not in body, text  # not even the member's own anonymous post
    else:
        assert "Beitrag von Anna" in body and "Hallo aus der Gruppe" in body
        for text in ("Beitrag von Ben", "Beitrag von Carl", PSEUDONYM, ANON):
            assert text not in body, text


def test_download_is_offered_on_group_and_leave_page_and_says_anonymous_is_not_in_it(
    app, make_user, now
):
    world, client = _world(app, make_user, now, "member")
    link = f"/gruppen/{world.group.id}/meine-beitraege"
    for page in (f"/gruppen/{world.group.id}", f"/gruppen/{world.group.id}/verlassen"):
        html = client.get(page).get_data(as_text=True)
        assert link in html, page
        assert "Anonyme Beiträge sind nicht enthalten" in html
    # a member who is no owner is not offered the end
    assert f"/gruppen/{world.group.id}/beenden" not in client.get(
        f"/gruppen/{world.group.id}"
    ).get_data(as_text=True)
    # the expiry warning links to the group list, which leads to the group page with the link
    assert f'href="/gruppen/{world.group.id}"' in client.get("/gruppen/").get_data(as_text=True)


def test_account_export_has_own_posts_only_and_the_page_warns(app, make_user, now):
    _, client = _world(app, make_user, now, "member")
    assert "vertraulichen Gruppen" in client.get("/konto").get_data(as_text=True)
    resp = client.get("/konto/export")
    assert resp.headers["Cache-Control"] == "private, no-store"
    data = json.loads(resp.get_data(as_text=True))
    text = json.dumps(data, ensure_ascii=False)
    assert "Beitrag von Ben" in text and PSEUDONYM in text
    for other in OTHERS:
        assert other not in text, other


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _rows_of(group_id: int) -> dict[str, int]:
    return {
        "groups": _count(Group, Group.id == group_id),
        "threads": _count(Thread, Thread.group_id == group_id),
        "posts": _count(Post, Post.group_id == group_id),
        "notes": _count(Note, Note.group_id == group_id),
        "members": _count(GroupMember, GroupMember.group_id == group_id),
        "invitations": _count(Invitation, Invitation.group_id == group_id),
        "memberships": _count(
            Membership, Membership.space_kind == SPACE_KIND, Membership.space_id == group_id
        ),
    }


def _raw(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.parametrize("role", ["member", "former", "non_member", "organizer", "admin"])
def test_only_owners_may_end(app, make_user, now, role):
    world, client = _world(app, make_user, now, role)
    token = csrf_from(client.get("/gruppen/neu").get_data(as_text=True))
    url = f"/gruppen/{world.group.id}/beenden"
    assert client.get(url).status_code == 404
    resp = client.post(url, data={"csrf_token": token, "confirm": "y"})
    assert resp.status_code == 404
    assert NAME not in resp.get_data(as_text=True)
    assert db.session.get(Group, world.group.id) is not None


def test_bad_input_ends_nothing(app, make_user, now):
    world, client = _world(app, make_user, now, "owner")
    url = f"/gruppen/{world.group.id}/beenden"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "endgültig gelöscht" in html and "ohne den Namen der Gruppe" in html
    token = csrf_from(html)
    before = _rows_of(world.group.id)
    assert client.post(url, data={"csrf_token": "falsch", "confirm": "y"}).status_code == 400
    missing = client.post(url, data={"csrf_token": token})
    assert missing.status_code == 422
    assert "Bitte bestätigen Sie" in missing.get_data(as_text=True)
    assert _rows_of(world.group.id) == before
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMail).where(OutboxMail.kind == "group_closed")
        )
        == 0
    )


def test_owner_ends_the_group_for_real(app, make_user, now):
    world, client = _world(app, make_user, now, "owner")
    group_id = world.group.id
    threads.save_note(world.group, world.rows["carl"], "Notiz-Marker", seen_version=0, now=now)
    threads.report(world.posts["carl"], world.rows["member"], now=now)
    db.session.commit()
    assert b"Beitrag von Carl" in _raw(app)
    members = {u.email for u in _members(group_id)}
    urls = _group_urls(app, world)
    url = f"/gruppen/{group_id}/beenden"
    token = csrf_from(client.get(url).get_data(as_text=True))
    sock = live_client(app, client, namespace="/groups")
    assert sock.emit("group:watch", {"group_id": group_id}, callback=True)["ok"]

    resp = client.post(url, data={"csrf_token": token, "confirm": "y"})
    assert resp.status_code == 302
    assert not sock.is_connected()  # every member's group sockets end

    db.session.expire_all()
    assert set(_rows_of(group_id).values()) == {0}
    assert _count(Report) == 0
    raw = _raw(app)
    for secret in (b"Beitrag von Carl", ANON.encode(), b"Notiz-Marker"):
        assert secret not in raw, secret
    closed = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "group_closed")).all()
    assert {m.to_addr for m in closed} == members
    for text in _mail_texts():
        for secret in (NAME, PSEUDONYM, "Erstes Thema", "Beitrag von", ANON, "Notiz-Marker"):
            assert secret not in text, (secret, text[:200])
    for method, path in urls:
        got = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
        assert got.status_code == 404, (method, path, got.status_code)


def _members(group_id: int):
    from peerlab.groups import expiry

    return expiry.member_users(group_id)


def _group_urls(app, world) -> list[tuple[str, str]]:
    rules = _group_rules(app)
    out = []
    for endpoint, (_allowed, values) in ENTRIES.items():
        params = values(world)
        if "group_id" not in params:
            continue
        with app.test_request_context():
            path = url_for(endpoint, **params)
        out += [(method, path) for method in sorted(rules[endpoint])]
    return out
