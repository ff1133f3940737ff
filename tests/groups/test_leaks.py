"""Leak hunt after a pseudonymous post: everything other parties can receive (every page
without parameters and every group page they may open, the live payloads, every mail in the
outbox, the log) carries neither the author's real name nor e-mail nor other identity; the
group's name and content reach no one outside it."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from flask import url_for
from sqlalchemy import func, select

from peerlab.core.live.actions import LiveAction
from peerlab.extensions import db
from peerlab.groups.service import groups as service
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from, sign_in
from tests.groups.conftest import REAL, alias, join_by_link, settings
from tests.groups.world import NAME, PSEUDONYM, build
from tests.support.sockets import live_client

MARKER = "Wasserstand-Geheimnis-4711"
OTHER_PSEUDONYM = "Kluge Weser"  # Ben's pseudonym in a second group


def _plain_pages(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments:
            continue
        if rule.endpoint.startswith(("testing.", "static", "accounts.sign_out")):
            continue
        if "abmelden" in rule.rule:
            continue
        urls.append(rule.rule)
    return sorted(urls)


def _group_pages(world) -> list[str]:
    g = world.group.id
    t = world.thread.public_id
    with_group = [
        url_for("groups.show", group_id=g),
        url_for("groups.members", group_id=g),
        url_for("groups.notes", group_id=g),
        url_for("groups.thread", group_id=g, thread_id=t),
        url_for("groups.thread_posts", group_id=g, thread_id=t),
        url_for("groups.leave", group_id=g),
    ]
    return with_group


@pytest.fixture
def hunted(app, make_user, now, caplog):
    caplog.set_level(logging.DEBUG)
    world = build(make_user, now, signed="member")
    ben = world.users["member"]
    second = service.create_group(
        settings(name="Zweite Runde Süd"), creator=world.users["carl"], choice=REAL, now=now
    )
    carl_row = service.members(second)[0][0]
    join_by_link(second, carl_row, ben, alias(OTHER_PSEUDONYM), now)
    db.session.commit()

    # others listen before the post: two members of the group and one outsider
    listeners = {}
    for key in ("owner", "carl", "non_member"):
        http = app.test_client()
        sign_in(http, world.users[key])
        sock = live_client(app, http, namespace="/groups")
        sock.emit("group:watch", {"group_id": world.group.id}, callback=True)
        listeners[key] = (http, sock)

    author = app.test_client()
    sign_in(author, ben)
    with app.test_request_context():
        page = url_for("groups.thread", group_id=world.group.id, thread_id=world.thread.public_id)
        target = url_for("groups.reply", group_id=world.group.id, thread_id=world.thread.public_id)
    token = csrf_from(author.get(page).get_data(as_text=True))
    resp = author.post(target, data={"csrf_token": token, "body": MARKER})
    assert resp.status_code == 302
    return world, listeners, caplog


def test_nothing_of_the_author_reaches_anyone_else(app, hunted):
    world, listeners, caplog = hunted
    ben = world.users["member"]
    author_secrets = [ben.name, ben.email, OTHER_PSEUDONYM, f"user:{ben.id}"]
    outside_secrets = [NAME, PSEUDONYM, MARKER, *author_secrets]
    seen_by_members = []

    for key in ("owner", "carl", "non_member"):
        _http, sock = listeners[key]
        payloads = repr(sock.get_received())
        for secret in outside_secrets if key == "non_member" else author_secrets:
            assert secret not in payloads, (key, secret)
        if key != "non_member":
            assert "group:changed" in payloads  # the members' pages were told something changed
        else:
            assert "group:changed" not in payloads

    # Real names and e-mail addresses appear in people pickers and admin lists; what must
    # never appear is any link between the author and the post: on the group's pages, no
    # real name, e-mail or other identity of the author; anywhere, nothing of a group to
    # someone outside it.
    parties = ("owner", "carl", "non_member", "organizer", "admin", "former", "removed", "invited")
    with app.test_request_context():
        group_pages = _group_pages(world)
    second_group = [OTHER_PSEUDONYM, "Zweite Runde Süd"]
    for key in parties:
        client = app.test_client()
        sign_in(client, world.users[key])
        is_member = key in ("owner", "carl")
        for url in _plain_pages(app) + group_pages:
            resp = client.get(url)
            body = resp.get_data(as_text=True)
            if url in group_pages:
                forbidden = author_secrets if is_member else outside_secrets
            else:
                forbidden = [NAME, PSEUDONYM, MARKER] if not is_member else []
                if key != "carl":  # Carl is in the second group himself
                    forbidden = forbidden + second_group
            for secret in forbidden:
                assert secret not in body, (key, url, secret)
            if is_member and url in group_pages[3:5]:
                assert MARKER in body and PSEUDONYM in body  # shown as the pseudonym
                seen_by_members.append(url)
    assert seen_by_members

    for mail in db.session.scalars(select(OutboxMail)).all():
        raw = mail.raw.decode("ascii", "replace")
        for secret in (NAME, PSEUDONYM, MARKER, OTHER_PSEUDONYM, "Zweite Runde"):
            assert secret not in raw and secret not in mail.subject, (mail.to_addr, secret)

    log = caplog.text
    for secret in (NAME, PSEUDONYM, MARKER, OTHER_PSEUDONYM, ben.name):
        assert secret not in log, secret


ANON_MARKER = "Anonym-Geheimnis-2209"


def test_an_anonymous_post_links_to_nobody_in_any_page_payload_mail_or_log(
    app, hunted, make_user, clock
):
    import re

    world, listeners, caplog = hunted
    ben = world.users["member"]
    erna = make_user(name="Erna Eck")  # a fifth active member: four besides the author
    owner_row = world.row("owner")
    join_by_link(world.group, owner_row, erna, REAL, clock.now())
    db.session.commit()
    for _key, (_http, sock) in listeners.items():
        sock.get_received()  # what came before

    author = app.test_client()
    sign_in(author, ben)
    sock = live_client(app, author, namespace="/groups")
    ack = sock.emit(
        "group:anonymous",
        {
            "group_id": world.group.id,
            "thread_id": world.thread.public_id,
            "body": ANON_MARKER,
            "request_id": "anonym-request-0001",  # as the shared client sends with every action
        },
        callback=True,
    )
    assert ack["ok"] and set(ack) == {"ok", "post_id", "token", "appears_at"}
    # the live layer keeps no record of who sent what in a room without presence
    assert db.session.scalar(select(func.count()).select_from(LiveAction)) == 0
    with app.test_request_context():
        pages = _group_pages(world)

    def page_of(key: str, url: str) -> str:
        client = app.test_client()
        sign_in(client, world.users[key])
        return client.get(url).get_data(as_text=True)

    # before the quarter-hour: nobody sees it, the author's own page included
    for key in ("owner", "carl", "member"):
        assert ANON_MARKER not in page_of(key, pages[3])
    for key, (_http, listener) in listeners.items():
        assert ANON_MARKER not in repr(listener.get_received()), key

    clock.set(datetime.fromisoformat(ack["appears_at"]))
    from peerlab.core import due

    due.run_due(clock.now())
    for key in ("owner", "carl", "member"):
        body = page_of(key, pages[3])
        post = re.search(
            r'<li class="pl-group-post"[^>]*>(?:(?!</li>).)*' + ANON_MARKER, body, re.S
        )
        assert post, key
        shown = post.group(0)
        assert "Anonym" in shown
        for secret in (ben.name, ben.email, PSEUDONYM, OTHER_PSEUDONYM, "bearbeiten"):
            assert secret not in shown, (key, secret)
    for key, (_http, listener) in listeners.items():
        received = repr(listener.get_received())
        assert ANON_MARKER not in received and ben.name not in received, key
    for mail in db.session.scalars(select(OutboxMail)).all():
        assert ANON_MARKER not in mail.raw.decode("ascii", "replace")
    assert ANON_MARKER not in caplog.text and ack["token"] not in caplog.text
    for outsider in ("non_member", "organizer", "admin", "former", "removed"):
        for url in pages:
            assert ANON_MARKER not in page_of(outsider, url), (outsider, url)
