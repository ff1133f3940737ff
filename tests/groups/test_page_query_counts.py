"""The groups list, a group's page and a thread cost the same number of SQL statements with
few and with many groups, members, threads and posts (real names and pseudonyms mixed)."""

from __future__ import annotations

from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, Group, Thread
from peerlab.groups.service import groups as service
from peerlab.groups.service import threads
from tests.groups.conftest import REAL, actor, alias, join_by_link, quick, settings
from tests.support.queries import same_cost_at_two_sizes


def test_group_pages_cost_the_same_with_few_and_many_items(app, now, make_user, login):
    anna = make_user(name="Anna Amsel")
    anna_id = anna.id
    http = app.test_client()
    login(http, anna)
    made: dict = {"groups": [], "n": 0}

    def add_group() -> Group:
        group = service.create_group(
            settings(name=f"Gruppe {len(made['groups']) + 1}"),
            creator=db.session.merge(anna),
            choice=REAL,
            now=now,
        )
        made["groups"].append(group.id)
        return group

    def add_members(group: Group, count: int) -> None:
        owner = spaces.membership_of(SPACE_KIND, group.id, actor(db.session.merge(anna)))
        for n in range(count):
            made["n"] += 1
            user = quick(app, name=f"Person {made['n']}")
            choice = alias(f"Eiche {made['n']}") if n % 2 else REAL
            join_by_link(group, owner, user, choice, now)

    def add_posts(group: Group, thread: Thread, count: int) -> None:
        rows = [
            row
            for row, _name in service.members(group)
            if row.user_id != anna_id and row.status == "active"
        ]
        for n in range(count):
            threads.reply(group, thread, rows[n % len(rows)], f"Beitrag {n}", now=now)

    first = add_group()
    add_members(first, 2)
    owner_row = spaces.membership_of(SPACE_KIND, first.id, actor(db.session.merge(anna)))
    thread = threads.start_thread(first, owner_row, "Erstes Thema", "Hallo", now=now)
    thread_id, thread_public = thread.id, thread.public_id
    add_posts(first, thread, 2)
    db.session.commit()
    first_id = first.id

    def paths() -> list[str]:
        return ["/gruppen/", f"/gruppen/{first_id}", f"/gruppen/{first_id}/themen/{thread_public}"]

    def grow() -> None:
        group = db.session.get(Group, first_id)
        for _ in range(4):
            add_members(add_group(), 2)
        add_members(group, 6)
        row = spaces.membership_of(SPACE_KIND, first_id, actor(db.session.merge(anna)))
        for n in range(5):
            threads.start_thread(group, row, f"Thema {n}", "Worum es geht", now=now)
        add_posts(group, db.session.get(Thread, thread_id), 14)

    same_cost_at_two_sizes(http, paths, grow)
    listed, page, posts = (http.get(p).data.decode() for p in paths())
    assert "Gruppe 5" in listed and "Thema 4" in page and "Beitrag 13" in posts
