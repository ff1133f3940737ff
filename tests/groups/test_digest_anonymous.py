"""An anonymous post reaches every active member's daily digest alike, its author's too: the
digest rows, the due items and the mails cannot tell who wrote it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from peerlab.core import due, spaces
from peerlab.core.due import DueItem
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND
from peerlab.groups.service import anonymous, threads
from peerlab.notify import digest
from peerlab.notify.models import DigestSetting, OutboxMail
from tests.groups.conftest import REAL, actor, join_by_link

MARKER = "Anonym-Digest-Marker-3c7"


def test_an_anonymous_post_flags_every_member_alike(app, people, group, now):
    owner = spaces.membership_of(SPACE_KIND, group.id, actor(people.anna))
    for person in (people.dora, people.outsider):
        join_by_link(group, owner, person, REAL, now)
    thread = threads.start_thread(group, owner, "Offen reden", "Worüber?", now=now)
    db.session.commit()
    # forget what the named post reported, so only the anonymous one counts
    db.session.execute(delete(DueItem).where(DueItem.kind == digest.DUE_KIND))
    db.session.execute(delete(DigestSetting))
    db.session.commit()

    ben = spaces.membership_of(SPACE_KIND, group.id, actor(people.ben))
    anonymous.post(group, ben, thread, MARKER, now=now)
    db.session.commit()
    assert db.session.scalars(select(DigestSetting)).all() == []  # nothing before publication
    at = anonymous.boundary_after(now)
    due.run_due(at)

    everyone = {p.id for p in (people.anna, people.ben, people.carl, people.dora, people.outsider)}
    rows = db.session.scalars(select(DigestSetting)).all()
    assert {r.user_id for r in rows} == everyone
    assert {(r.news_since, r.enabled, r.hour, r.last_day) for r in rows} == {(at, True, 8, "")}
    items = db.session.scalars(select(DueItem).where(DueItem.kind == digest.DUE_KIND)).all()
    assert {i.subject_id for i in items} == everyone
    assert len({(i.created_at, i.due_at, repr(i.payload), i.done_at) for i in items}) == 1

    due.run_due(at + timedelta(days=1, hours=2))
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "digest")).all()
    assert {m.user_id for m in mails} == everyone
    assert len({m.subject for m in mails}) == 1
    assert all(MARKER not in m.raw.decode() for m in mails)
