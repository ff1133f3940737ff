"""Group retention with the injected clock: content older than the retention is deleted for
real (no row, no mail, no bytes in the SQLite file or its -wal file), members are warned 7
days before by a mail naming no group; "bis die Gruppe endet" ends a group after 12 quiet
months, warned 30 days before; new posts reach the others' daily digest, never the group."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peerlab.core import due, retention, spaces
from peerlab.extensions import db
from peerlab.groups import expiry
from peerlab.groups.models import SPACE_KIND, Group, Note, Post, Thread
from peerlab.groups.service import groups as service
from peerlab.groups.service import invites, threads
from peerlab.notify.models import DigestSetting, OutboxMail
from tests.groups.conftest import REAL, actor, alias, join_by_link, settings

MARKER = "Drohbrief-Marker-5e1d"
SECRETS = ("Sicherheit im Amt", "Austausch", "Stille Eiche", MARKER, "Lagebild")


def _row(group, user):
    return spaces.membership_of(SPACE_KIND, group.id, actor(user))


def _make(people, now, **changes):
    made = service.create_group(settings(**changes), creator=people.anna, choice=REAL, now=now)
    owner = _row(made, people.anna)
    join_by_link(made, owner, people.ben, alias("Stille Eiche"), now)
    join_by_link(made, owner, people.carl, REAL, now)
    db.session.commit()
    return db.session.get(Group, made.id)


def _write(group, people, now) -> None:
    thread = threads.start_thread(
        group, _row(group, people.anna), "Lagebild", f"{MARKER} Anfang", now=now
    )
    threads.reply(group, thread, _row(group, people.ben), f"{MARKER} Antwort", now=now)
    threads.save_note(group, _row(group, people.carl), f"{MARKER} Notiz", seen_version=0, now=now)
    db.session.commit()


def _raw(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _mail_texts(kind: str | None = None) -> list[str]:
    stmt = select(OutboxMail).order_by(OutboxMail.id)
    if kind:
        stmt = stmt.where(OutboxMail.kind == kind)
    out = []
    for mail in db.session.scalars(stmt):
        message = message_from_bytes(mail.raw, policy=default_policy)
        parts = [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
        out.append("\n".join([mail.subject, *parts]))
    return out


def _assert_no_mail_names_the_group() -> None:
    texts = _mail_texts()
    assert texts
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, (secret, text[:300])


def test_content_expires_for_real_after_the_retention(app, people, now):
    group = _make(people, now, retention_days=30)
    _write(group, people, now)
    newer = now + timedelta(days=10)
    threads.start_thread(group, _row(group, people.carl), "Später", "bleibt", now=newer)
    db.session.commit()
    assert MARKER.encode() in _raw(app)

    retention.run(now + timedelta(days=29))
    assert _count(Post) == 3
    result = retention.run(now + timedelta(days=30, seconds=1))
    assert result.rows >= 4
    assert [p.body for p in db.session.scalars(select(Post))] == ["bleibt"]
    assert [t.title for t in db.session.scalars(select(Thread))] == ["Später"]
    assert _count(Note) == 0
    assert db.session.get(Group, group.id) is not None  # the group itself stays
    assert MARKER.encode() not in _raw(app)
    assert all(MARKER not in text for text in _mail_texts())


def test_members_are_warned_seven_days_before_once_a_week_without_names(app, people, now):
    group = _make(people, now, retention_days=30)
    _write(group, people, now)
    assert expiry.warn(now + timedelta(days=22)) == 0
    assert expiry.warn(now + timedelta(days=23, seconds=1)) == 3
    expiry.warn(now + timedelta(days=23, hours=1))  # the same week: no second mail
    db.session.commit()
    warned = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "group_expiry")).all()
    assert sorted(m.user_id for m in warned) == sorted(
        [people.anna.id, people.ben.id, people.carl.id]
    )
    assert len({m.subject for m in warned}) == 1
    _assert_no_mail_names_the_group()


def test_a_quiet_group_is_warned_and_ends_after_twelve_months(app, people, now):
    group = _make(people, now, retention_days=None)
    _write(group, people, now)
    group_id = group.id
    retention.run(now + timedelta(days=334))
    assert _mail_texts("group_ending") == []
    retention.run(now + timedelta(days=335, seconds=1))
    assert len(_mail_texts("group_ending")) == 3
    assert db.session.get(Group, group_id) is not None

    result = retention.run(now + timedelta(days=365, seconds=1))
    assert "groups" in result.tables
    db.session.expire_all()
    assert db.session.get(Group, group_id) is None
    assert _count(Post) == _count(Thread) == _count(Note) == 0
    members = select(func.count()).where(
        spaces.Membership.space_kind == SPACE_KIND, spaces.Membership.space_id == group_id
    )
    assert db.session.scalar(members) == 0
    assert len(_mail_texts("group_ended")) == 3
    assert _mail_texts("group_ending") == []  # queued warnings about the group went with it
    assert MARKER.encode() not in _raw(app)
    assert b"Sicherheit im Amt" not in _raw(app)
    _assert_no_mail_names_the_group()


def test_a_new_post_keeps_a_quiet_group_alive(app, people, now):
    group = _make(people, now, retention_days=None)
    _write(group, people, now)
    later = now + timedelta(days=300)
    thread = db.session.scalar(select(Thread))
    threads.reply(group, thread, _row(group, people.carl), "noch da", now=later)
    db.session.commit()
    retention.run(now + timedelta(days=366))
    assert db.session.get(Group, group.id) is not None


def test_new_posts_reach_the_others_digest_and_no_mail_names_the_group(app, people, now):
    group = _make(people, now)
    invites.invite_account(group, _row(group, people.anna), people.dora.id, now=now)
    _write(group, people, now)
    flagged = {row.user_id for row in db.session.scalars(select(DigestSetting))}
    assert flagged == {people.anna.id, people.ben.id, people.carl.id}  # each wrote, others saw
    due.run_due(now + timedelta(days=1, hours=1))
    digests = _mail_texts("digest")
    assert len(digests) == 3
    assert len(_mail_texts("group_invitation")) == 1
    _assert_no_mail_names_the_group()


@pytest.mark.parametrize("days", [30, 90, 365])
def test_each_retention_keeps_content_exactly_that_long(app, people, now, days):
    group = _make(people, now, retention_days=days)
    _write(group, people, now)
    retention.run(now + timedelta(days=days) - timedelta(seconds=1))
    assert _count(Post) == 2
    retention.run(now + timedelta(days=days, seconds=1))
    assert _count(Post) == 0
