"""A reply in a thread (the form post) costs the same number of SQL statements in a group of
4 and of 15 members: the daily digest's bookkeeping for the others reads their settings and
planned digests once, not per member."""

from __future__ import annotations

from sqlalchemy import func, select

from peerlab.core import spaces
from peerlab.core.due import DueItem
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, Post
from peerlab.groups.service import groups as service
from peerlab.groups.service import threads
from peerlab.notify import digest
from tests.conftest import csrf_from
from tests.groups.conftest import REAL, actor, alias, join_by_link, quick, settings
from tests.support.queries import counting


def _group(app, anna, size: int, now) -> tuple[int, str, list[int]]:
    """A group of Anna and `size - 1` others (every other one under a pseudonym); Anna started
    a thread, so every other member has news and a planned digest already."""
    group = service.create_group(
        settings(name=f"Gruppe {size}", size_limit=30),
        creator=db.session.merge(anna),
        choice=REAL,
        now=now,
    )
    owner = spaces.membership_of(SPACE_KIND, group.id, actor(db.session.merge(anna)))
    others = []
    for n in range(size - 1):
        user = quick(app, name=f"Person {size}-{n}")
        join_by_link(group, owner, user, alias(f"Eiche {size}-{n}") if n % 2 else REAL, now)
        others.append(user.id)
    thread = threads.start_thread(group, owner, "Thema", "Worum es geht", now=now)
    db.session.commit()
    return group.id, thread.public_id, others


def _planned(user_ids: list[int]) -> int:
    return db.session.scalar(
        select(func.count(DueItem.id)).where(
            DueItem.kind == digest.DUE_KIND,
            DueItem.subject_id.in_(user_ids),
            DueItem.done_at.is_(None),
        )
    )


def test_a_reply_costs_the_same_in_a_small_and_a_large_group(app, make_user, login, now):
    anna = make_user(name="Anna Amsel")
    http = app.test_client()
    login(http, anna)
    counts = []
    for size in (4, 15):
        group_id, thread_id, others = _group(app, anna, size, now)
        assert _planned(others) == size - 1
        url = f"/gruppen/{group_id}/themen/{thread_id}"
        token = csrf_from(http.get(url).get_data(as_text=True))
        db.session.remove()
        with counting() as statements:
            sent = http.post(url + "/antworten", data={"csrf_token": token, "body": "Antwort"})
        assert sent.status_code == 302, sent.status_code
        db.session.remove()
        assert db.session.scalar(select(func.count(Post.id)).where(Post.group_id == group_id)) == 2
        assert _planned(others) == size - 1  # still one planned digest each, none added
        counts.append(len(statements))
    # 15 statements at either size (were 19 at 4 members and 41 at 15).
    assert counts[0] == counts[1], counts
