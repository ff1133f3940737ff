"""A group seen from every side: owner, member (with a pseudonym), former and removed members,
an invited account, a non-member, an organizer and an admin who are not members; a thread
with posts by the member, by Carl and by the owner."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND, Group, Post, Thread
from peerlab.groups.service import groups as service
from peerlab.groups.service import invites, threads
from tests.groups.conftest import REAL, actor, alias, join_by_link, settings

NAME = "Vertrauensrunde Nordkreis"
PSEUDONYM = "Stille Eiche"
ROLES = (
    "visitor",
    "non_member",
    "invited",
    "member",
    "former",
    "removed",
    "owner",
    "organizer",
    "admin",
)


@dataclass
class World:
    group: Group
    users: dict
    thread: Thread
    posts: dict
    rows: dict
    secret: str
    secrets_seen: list = field(default_factory=list)

    def row(self, key: str):
        return spaces.membership_of(SPACE_KIND, self.group.id, actor(self.users[key]))


def build(make_user, now, *, signed: str | None) -> World:
    """`signed`: the role whose account gets a password (the one that signs in)."""
    users = {}
    names = {
        "owner": ("member", "Anna Amsel"),
        "member": ("member", "Ben Berg"),
        "carl": ("member", "Carl Clausen"),
        "dora": ("member", "Dora Dorn"),
        "former": ("member", "Frieda Fort"),
        "removed": ("member", "Rudi Raus"),
        "invited": ("member", "Ines Ingeladen"),
        "non_member": ("member", "Otto Außen"),
        "organizer": ("organizer", "Olga Orga"),
        "admin": ("admin", "Ada Admin"),
    }
    for key, (role, name) in names.items():
        users[key] = make_user(role, name=name, totp=None if key == signed else False)
    group = service.create_group(
        settings(name=NAME, allow_anonymous=True), creator=users["owner"], choice=REAL, now=now
    )
    owner = spaces.membership_of(SPACE_KIND, group.id, actor(users["owner"]))
    join_by_link(group, owner, users["member"], alias(PSEUDONYM), now)
    for key in ("carl", "dora", "former", "removed"):
        join_by_link(group, owner, users[key], REAL, now)
    world_rows = {k: spaces.membership_of(SPACE_KIND, group.id, actor(users[k])) for k in users}
    service.leave(group, world_rows["former"], now=now)
    service.remove_member(group, owner, world_rows["removed"].id, now=now)
    thread = threads.start_thread(group, owner, "Erstes Thema", "Hallo aus der Gruppe", now=now)
    posts = {
        "member": threads.reply(group, thread, world_rows["member"], "Beitrag von Ben", now=now),
        "carl": threads.reply(group, thread, world_rows["carl"], "Beitrag von Carl", now=now),
        "owner": threads.reply(group, thread, owner, "Beitrag von Anna", now=now),
    }
    invites.invite_account(group, owner, users["invited"].id, now=now)
    db.session.commit()
    secret = _secret_from_mail(users["invited"].email)
    return World(
        group=group,
        users=users,
        thread=thread,
        posts={k: db.session.get(Post, p.id) for k, p in posts.items()},
        rows=world_rows,
        secret=secret,
    )


def _secret_from_mail(address: str) -> str:
    import quopri
    import re

    from sqlalchemy import select

    from peerlab.notify.models import OutboxMail

    mail = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_addr == address).order_by(OutboxMail.id.desc())
    ).first()
    text = quopri.decodestring(mail.raw).decode("utf-8", "replace")
    return re.search(r"/gruppen/einladung/([A-Za-z0-9_\-]+)", text).group(1)
