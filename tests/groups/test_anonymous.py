"""Anonymous posts: no author stored, offered only with four other active members (counted
under the lock), published at the next quarter-hour, invisible until then, edited or deleted
only with the browser's token for 15 minutes; the count table treats every member alike; a
party holding every table and the secret key cannot tell who wrote it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from peerlab.core import authormarks, due, spaces
from peerlab.core.errors import Conflict, NotFound, RateLimited
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, AnonymousCount, Post
from peerlab.groups.service import anonymous, threads
from peerlab.groups.service import groups as service
from tests.groups.conftest import REAL, actor, join_by_link

MARKER = "Anonym-Marker-8152"


@pytest.fixture
def five(app, people, group, now):
    """Anna, Ben, Carl, Dora and Otto: five active members, so four besides any author."""
    owner = spaces.membership_of(SPACE_KIND, group.id, actor(people.anna))
    for person in (people.dora, people.outsider):
        join_by_link(group, owner, person, REAL, now)
    thread = threads.start_thread(group, owner, "Offen reden", "Worüber?", now=now)
    db.session.commit()
    return group, thread


def row(group, user):
    return spaces.membership_of(SPACE_KIND, group.id, actor(user))


def test_boundary_is_the_next_quarter_hour():
    at = datetime(2030, 5, 6, 10, 7, 31, tzinfo=UTC)
    assert anonymous.boundary_after(at) == datetime(2030, 5, 6, 10, 15, tzinfo=UTC)
    assert anonymous.boundary_after(at.replace(minute=15, second=0)) == at.replace(
        minute=30, second=0
    )
    assert anonymous.boundary_after(at.replace(minute=59)) == datetime(
        2030, 5, 6, 11, 0, tzinfo=UTC
    )


def test_not_offered_with_only_three_others(app, people, group, now):
    thread = threads.start_thread(group, row(group, people.anna), "T", "x", now=now)
    with pytest.raises(Conflict) as err:
        anonymous.post(group, row(group, people.ben), thread, "hallo", now=now)
    assert err.value.code == "anonymous_floor"
    assert not anonymous.offered(group)


def test_switched_off_means_no_anonymous_post_and_existing_ones_stay(five, people, clock):
    group, thread = five
    now = clock.now()
    item, _token = anonymous.post(group, row(group, people.carl), thread, MARKER, now=now)
    db.session.commit()
    service.switch_anonymous_off(group)
    db.session.commit()
    later = item.created_at
    assert MARKER in [p.body for p, _name in threads.posts(thread, later)]
    with pytest.raises(Conflict):
        anonymous.post(group, row(group, people.ben), thread, "hallo", now=now)


def test_no_author_stored_published_at_the_boundary_and_invisible_until_then(five, people, clock):
    group, thread = five
    now = clock.now()
    item, token = anonymous.post(group, row(group, people.ben), thread, MARKER, now=now)
    db.session.commit()
    assert item.membership_id is None and item.anonymous
    assert item.created_at == anonymous.boundary_after(now)
    assert MARKER not in repr(threads.posts(thread, now))
    with pytest.raises(NotFound):
        threads.post_of(group, item.public_id, now)
    # the author's token edits it; someone else's guess does not
    anonymous.edit(group, item.public_id, token, MARKER + " korrigiert", now=now)
    db.session.commit()
    with pytest.raises(NotFound):
        anonymous.edit(group, item.public_id, "falsch", "x", now=now)
    db.session.rollback()
    clock.set(item.created_at)
    due.run_due(clock.now())
    shown = threads.posts(thread, clock.now())
    assert (MARKER + " korrigiert", "Anonym") in [(p.body, name) for p, name in shown]
    # after 15 minutes the mark is gone: nobody can edit or link it any more
    clock.set(now + timedelta(minutes=15, seconds=1))
    due.run_due(clock.now())
    assert db.session.scalar(select(func.count(authormarks.UnlinkableMark.id))) == 0
    with pytest.raises(NotFound):
        anonymous.delete(group, item.public_id, token, now=clock.now())


def test_the_author_deletes_within_the_window(five, people, now):
    group, thread = five
    item, token = anonymous.post(group, row(group, people.ben), thread, MARKER, now=now)
    anonymous.delete(group, item.public_id, token, now=now)
    assert db.session.scalar(select(func.count(Post.id)).where(Post.anonymous)) == 0


def test_daily_count_treats_every_member_alike(five, people, now):
    group, thread = five
    anonymous.post(group, row(group, people.ben), thread, "eins", now=now)
    counts = db.session.scalars(select(AnonymousCount.count)).all()
    assert counts == [1] * 5
    for _n in range(anonymous.PER_DAY - 1):
        anonymous.post(group, row(group, people.carl), thread, "mehr", now=now)
    with pytest.raises(RateLimited):
        anonymous.post(group, row(group, people.dora), thread, "zu viel", now=now)
    assert {c.count for c in db.session.scalars(select(AnonymousCount))} == {anonymous.PER_DAY}
    columns = set(AnonymousCount.__table__.columns.keys())
    assert columns == {"id", "membership_id", "day", "count"}  # no post id, no time of day


def _rows() -> set[tuple[str, tuple]]:
    """Every row of every table (what a party holding the database sees)."""
    found = set()
    for table in db.metadata.sorted_tables:
        for values in db.session.execute(table.select()).mappings().all():
            found.add((table.name, tuple(sorted((k, repr(v)) for k, v in values.items()))))
    return found


PERSON_COLUMNS = ("membership_id", "user_id", "actor_id", "target_id", "updated_by_id")


def test_every_table_changes_alike_for_every_member(five, people, now):
    """What the anonymous post added or changed in the whole database (every table, the due
    items, the outbox, the author marks, the counts) names every member equally often."""
    group, thread = five
    members = {
        key: row(group, getattr(people, key)) for key in ("anna", "ben", "carl", "dora", "outsider")
    }
    ids = {}
    for key, membership in members.items():
        ids[repr(membership.id)] = key
        ids[repr(membership.user_id)] = key
    before = _rows()
    anonymous.post(group, members["ben"], thread, MARKER, now=now)
    db.session.commit()
    changed = _rows() - before
    assert any(MARKER in repr(r) for r in changed)
    named = dict.fromkeys(members, 0)
    for _table, values in changed:
        for column, value in values:
            if column.endswith(PERSON_COLUMNS) and value in ids:
                named[ids[value]] += 1
    assert len(set(named.values())) == 1, named
