"""The group pages end to end over HTTP: found a group, invite by link, join (rule and
identity), post, edit within 15 minutes, report, owners remove, notes, limits, leaving."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.groups.models import Group, GroupMember, Post, Report
from peerlab.groups.service import threads
from tests.conftest import csrf_from, sign_in
from tests.support.sockets import live_client


def _form(client, url: str, to: str | None = None, **data):
    """Open `url`, take its CSRF token and post `data` to `to` (default: the same URL)."""
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(to or url, data={"csrf_token": token, **data})


def _found(client) -> Group:
    resp = _form(
        client,
        "/gruppen/neu",
        name="Rathaus unter Druck",
        purpose="Offen reden",
        size_limit="8",
        allow_real="y",
        allow_pseudonym="y",
        retention="30",
        members_may_invite="y",
        identity="real",
        accept_rule="y",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    return db.session.scalars(select(Group)).one()


def _link(client, group: Group) -> str:
    token = csrf_from(client.get(f"/gruppen/{group.id}/mitglieder").get_data(as_text=True))
    resp = client.post(
        f"/gruppen/{group.id}/einladen/link", data={"csrf_token": token, "days": "7"}
    )
    assert resp.status_code == 201
    return re.search(r"(/gruppen/einladung/[A-Za-z0-9_\-]+)", resp.get_data(as_text=True)).group(1)


def test_found_invite_join_post_and_see_it_under_the_group_identity(app, make_user):
    anna, ben = make_user(name="Anna Amsel"), make_user(name="Ben Berg")
    owner, joiner = app.test_client(), app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    page = owner.get(f"/gruppen/{group.id}").get_data(as_text=True)
    assert "Chatham-House-Regel" in page and "nach 30 Tagen gelöscht" in page
    link = _link(owner, group)

    sign_in(joiner, ben)
    invitation = joiner.get(link).get_data(as_text=True)
    assert "Rathaus unter Druck" in invitation and "Beitreten" in invitation
    # without the rule: a clear message, nothing changes, the link stays valid
    refused = _form(joiner, link, identity="pseudonym", pseudonym="Heitere Lahn")
    assert refused.status_code == 422
    assert "Ohne diese Zusage" in refused.get_data(as_text=True)
    taken = _form(joiner, link, identity="pseudonym", pseudonym="Anna Amsel", accept_rule="y")
    assert taken.status_code == 422 and "nicht möglich" in taken.get_data(as_text=True)
    joined = _form(joiner, link, identity="pseudonym", pseudonym="Heitere Lahn", accept_rule="y")
    assert joined.status_code == 302
    assert db.session.scalar(select(func.count(GroupMember.membership_id))) == 2
    assert joiner.get(link).status_code == 404  # used up

    # Anna watches the live room; Ben starts a thread
    watcher = live_client(app, owner, namespace="/groups")
    assert watcher.emit("group:watch", {"group_id": group.id}, callback=True)["ok"]
    started = _form(
        joiner,
        f"/gruppen/{group.id}",
        f"/gruppen/{group.id}/themen",
        title="Kürzungen",
        body="Was streicht ihr zuerst?",
    )
    assert started.status_code == 302
    thread_url = started.location
    received = watcher.get_received()
    assert [m["name"] for m in received] == ["group:changed"]
    assert set(received[0]["args"][0]) == {"thread"}  # a random thread id, nothing else
    seen = owner.get(thread_url).get_data(as_text=True)
    assert "Heitere Lahn" in seen and "Ben Berg" not in seen and "Was streicht ihr" in seen


def test_limits_edit_window_report_and_owner_removal(app, make_user, clock):
    anna, ben = make_user(name="Anna Amsel"), make_user(name="Ben Berg")
    owner, member = app.test_client(), app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    sign_in(member, ben)
    _form(member, _link(owner, group), identity="real", accept_rule="y")
    started = _form(
        member,
        f"/gruppen/{group.id}",
        f"/gruppen/{group.id}/themen",
        title="Thema",
        body="Erster Beitrag",
    )
    thread_url = started.location
    reply_url = thread_url + "/antworten"

    too_long = member.post(
        reply_url,
        data={
            "csrf_token": csrf_from(member.get(thread_url).get_data(as_text=True)),
            "body": "x" * 5001,
        },
    )
    assert too_long.status_code == 422
    assert "Höchstens 5.000 Zeichen" in too_long.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Post.id))) == 1

    post = db.session.scalars(select(Post)).one()
    edit_url = f"/gruppen/{group.id}/beitraege/{post.public_id}/bearbeiten"
    assert _form(member, edit_url, body="Erster Beitrag, korrigiert").status_code == 302
    assert db.session.get(Post, post.id).body == "Erster Beitrag, korrigiert"
    assert owner.get(edit_url).status_code == 404  # not Anna's post

    report_url = f"/gruppen/{group.id}/beitraege/{post.public_id}/melden"
    token = csrf_from(owner.get(thread_url).get_data(as_text=True))
    assert owner.post(report_url, data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(func.count(Report.id))) == 1
    assert "1 Meldung" in owner.get(thread_url).get_data(as_text=True)

    clock.advance(16 * 60)
    late = member.get(edit_url)
    assert late.status_code == 302  # back to the thread with a clear message
    assert "15 Minuten" in member.get(late.location).get_data(as_text=True)

    remove_url = f"/gruppen/{group.id}/beitraege/{post.public_id}/entfernen"
    token = csrf_from(member.get(thread_url).get_data(as_text=True))
    assert member.post(remove_url, data={"csrf_token": token}).status_code == 404
    token = csrf_from(owner.get(thread_url).get_data(as_text=True))
    assert owner.post(remove_url, data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(func.count(Post.id))) == 0


def test_thirty_posts_an_hour(app, make_user, clock):
    anna = make_user(name="Anna Amsel")
    owner = app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    started = _form(
        owner, f"/gruppen/{group.id}", f"/gruppen/{group.id}/themen", title="Thema", body="1"
    )
    token = csrf_from(owner.get(started.location).get_data(as_text=True))
    for n in range(threads.PER_HOUR - 1):
        resp = owner.post(
            started.location + "/antworten", data={"csrf_token": token, "body": f"{n}"}
        )
        assert resp.status_code == 302
    resp = owner.post(
        started.location + "/antworten", data={"csrf_token": token, "body": "zu viel"}
    )
    assert resp.status_code == 422 and "letzten Stunde" in resp.get_data(as_text=True)
    clock.advance(3601)
    resp = owner.post(started.location + "/antworten", data={"csrf_token": token, "body": "wieder"})
    assert resp.status_code == 302


def test_notes_keep_the_last_writer_as_group_identity_and_refuse_a_stale_version(app, make_user):
    anna, ben = make_user(name="Anna Amsel"), make_user(name="Ben Berg")
    owner, member = app.test_client(), app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    sign_in(member, ben)
    _form(
        member, _link(owner, group), identity="pseudonym", pseudonym="Sanfte Spree", accept_rule="y"
    )
    url = f"/gruppen/{group.id}/notizen"
    stale = csrf_from(owner.get(url).get_data(as_text=True))
    assert _form(member, url, body="Termine: Polizei", version="0").status_code == 302
    page = owner.get(url).get_data(as_text=True)
    assert "Sanfte Spree" in page and "Ben Berg" not in page
    late = owner.post(url, data={"csrf_token": stale, "body": "Überschrieben", "version": "0"})
    assert late.status_code == 422 and "inzwischen geändert" in late.get_data(as_text=True)


def test_leaving_as_last_owner_names_the_successor_and_ends_access(app, make_user):
    anna, ben, carl = (make_user(name=n) for n in ("Anna Amsel", "Ben Berg", "Carl Clausen"))
    owner = app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    for person in (ben, carl):
        client = app.test_client()
        sign_in(client, person)
        _form(client, _link(owner, group), identity="real", accept_rule="y")
    page = owner.get(f"/gruppen/{group.id}/verlassen").get_data(as_text=True)
    assert "Wer übernimmt" in page
    from peerlab.core.spaces import Membership

    carl_row = db.session.scalars(select(Membership).where(Membership.user_id == carl.id)).one()
    resp = _form(owner, f"/gruppen/{group.id}/verlassen", successor=str(carl_row.id))
    assert resp.status_code == 302
    assert owner.get(f"/gruppen/{group.id}").status_code == 404
    assert db.session.get(Membership, carl_row.id).role == "owner"


def test_a_removed_member_loses_the_live_room_at_once(app, make_user):
    anna, ben = make_user(name="Anna Amsel"), make_user(name="Ben Berg")
    owner, member = app.test_client(), app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    sign_in(member, ben)
    _form(member, _link(owner, group), identity="real", accept_rule="y")
    sock = live_client(app, member, namespace="/groups")
    assert sock.emit("group:watch", {"group_id": group.id}, callback=True)["ok"]
    from peerlab.core.spaces import Membership

    ben_row = db.session.scalars(select(Membership).where(Membership.user_id == ben.id)).one()
    resp = _form(
        owner,
        f"/gruppen/{group.id}/mitglieder",
        f"/gruppen/{group.id}/mitglieder/{ben_row.id}/entfernen",
    )
    assert resp.status_code == 302
    assert not sock.is_connected()
    assert member.get(f"/gruppen/{group.id}").status_code == 404


def test_the_group_pages_speak_english(app, make_user):
    anna = make_user(name="Anna Amsel", language="en")
    owner = app.test_client()
    sign_in(owner, anna)
    group = _found(owner)
    page = owner.get(f"/gruppen/{group.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Confidential – Chatham House rule" in page and "Start topic" in page
