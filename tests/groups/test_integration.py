"""Groups elsewhere: the demo's two groups differ in members and identities; the dashboard
names a group to its members only; the account export lists own groups, own pseudonym and own
posts; deleting an account deletes its group posts and rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from peerlab.accounts.models import User
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import integration
from peerlab.groups.models import SPACE_KIND, Group, GroupMember, Post
from peerlab.groups.service import threads
from tests.groups.conftest import actor


def test_demo_has_two_groups_with_different_members_and_identities(app, clock):
    from peerlab import demo

    clock.set(clock.now() + timedelta(days=100))  # any date: nothing depends on today
    assert demo.load()
    groups = db.session.scalars(select(Group).order_by(Group.id)).all()
    assert len(groups) == 2
    members = [
        {
            (row.user_id, row.display_name)
            for row in db.session.scalars(
                select(Membership).where(
                    Membership.space_kind == SPACE_KIND, Membership.space_id == g.id
                )
            )
        }
        for g in groups
    ]
    assert members[0] != members[1]
    assert all(any(alias for _u, alias in m) for m in members)  # pseudonyms in both
    admin = db.session.scalars(select(User).where(User.role == "admin")).first()
    assert all(admin.id not in {u for u, _a in m} for m in members)
    assert db.session.scalar(select(func.count(GroupMember.membership_id))) == 8
    assert db.session.scalar(select(func.count(Post.id))) == 6
    anonymous = db.session.scalars(select(Post).where(Post.anonymous)).one()
    assert anonymous.membership_id is None


def test_dashboard_names_a_group_to_its_members_only(app, group, people, now):
    with app.test_request_context():
        with_group = integration.dashboard(people.ben, now)
        assert any("Sicherheit im Amt" in item.text for item in with_group.todos)
        for outsider in (people.orga, people.admin, people.outsider):
            part = integration.dashboard(outsider, now)
            texts = [i.text for i in part.todos + part.invitations]
            texts += [d.title for d in part.dates]
            assert not any("Sicherheit" in t for t in texts)


def test_export_lists_own_pseudonym_and_posts_only(group, people, now):
    from peerlab.core import spaces

    ben = spaces.membership_of(SPACE_KIND, group.id, actor(people.ben))
    carl = spaces.membership_of(SPACE_KIND, group.id, actor(people.carl))
    thread = threads.start_thread(group, ben, "Thema", "Bens Text", now=now)
    threads.reply(group, thread, carl, "Carls Text", now=now)
    exported = integration.export_user(people.ben)
    assert exported == [
        {
            "group": "Sicherheit im Amt",
            "pseudonym": "Stille Eiche",
            "posts": [{"thread": "Thema", "text": "Bens Text", "written": now.isoformat()}],
        }
    ]
    assert integration.export_user(people.outsider) == []


def test_erasing_an_account_deletes_its_group_posts_and_rows(group, people, now):
    from peerlab.core import spaces

    ben = spaces.membership_of(SPACE_KIND, group.id, actor(people.ben))
    carl = spaces.membership_of(SPACE_KIND, group.id, actor(people.carl))
    thread = threads.start_thread(group, carl, "Thema", "Carls Text", now=now)
    threads.reply(group, thread, ben, "Bens Text", now=now)
    integration.erase_user(people.ben, keep_content=True, now=now)
    assert db.session.scalars(select(Post.body)).all() == ["Carls Text"]
    assert db.session.get(Membership, ben.id) is None
    assert db.session.get(GroupMember, ben.id) is None
