"""Creating a group, its members, leaving and removal, owners' settings.

Every change that depends on who is in a group takes the group's lock first
(`core.locking.lock_versioned`), so counts (size limit, owners) are read under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.core.errors import Conflict, InvalidInput, NotFound
from peerlab.core.live import queue_disconnect_room, queue_emit
from peerlab.core.locking import lock_versioned
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import (
    DEFAULT_SIZE,
    MAX_SIZE,
    MEMBER,
    MIN_SIZE,
    OWNER,
    RETENTIONS,
    SPACE_KIND,
    Group,
    GroupMember,
)
from peerlab.groups.service import identity

NAMESPACE = "/groups"


def room(group_id: int) -> str:
    return f"group:{group_id}"


@dataclass(frozen=True)
class GroupSettings:
    name: str
    purpose: str = ""
    size_limit: int = DEFAULT_SIZE
    allow_real: bool = True
    allow_pseudonym: bool = True
    allow_anonymous: bool = False
    retention_days: int | None = 90
    members_may_invite: bool = True


@dataclass(frozen=True)
class JoinChoice:
    """What a person chooses on joining: the accepted rule and the identity in the group."""

    accept_rule: bool
    identity: str  # "real" | "pseudonym"
    pseudonym: str = ""


def check_settings(settings: GroupSettings) -> None:
    name = (settings.name or "").strip()
    if not 3 <= len(name) <= 120:
        raise InvalidInput(_("Der Name hat 3 bis 120 Zeichen."), code="name")
    if len(settings.purpose or "") > 2000:
        raise InvalidInput(_("Der Zweck hat höchstens 2.000 Zeichen."), code="purpose")
    if not MIN_SIZE <= settings.size_limit <= MAX_SIZE:
        raise InvalidInput(
            _("Eine Gruppe hat %(min)d bis %(max)d Mitglieder.", min=MIN_SIZE, max=MAX_SIZE),
            code="size",
        )
    if not (settings.allow_real or settings.allow_pseudonym):
        raise InvalidInput(
            _("Bitte erlauben Sie Klarnamen, Pseudonyme oder beides."), code="identities"
        )
    if settings.retention_days is not None and settings.retention_days not in RETENTIONS:
        raise InvalidInput(_("Bitte wählen Sie eine Aufbewahrungsdauer."), code="retention")


def create_group(
    settings: GroupSettings, *, creator: User, choice: JoinChoice, now: datetime
) -> Group:
    """A new group with its creator as the first owner (who also accepts the rule)."""
    check_settings(settings)
    group = Group(
        name=settings.name.strip(),
        purpose=(settings.purpose or "").strip(),
        size_limit=settings.size_limit,
        allow_real=settings.allow_real,
        allow_pseudonym=settings.allow_pseudonym,
        allow_anonymous=settings.allow_anonymous,
        retention_days=settings.retention_days,
        members_may_invite=settings.members_may_invite,
        created_at=now,
        version=0,
    )
    db.session.add(group)
    db.session.flush()
    admit(group, creator, choice, role=OWNER, now=now)
    return group


def _check_choice(group: Group, user: User, choice: JoinChoice) -> str:
    """The display name to store ('' for the real name)."""
    if not choice.accept_rule:
        raise InvalidInput(
            _("Bitte bestätigen Sie die Vertraulichkeitsregel."), code="rule_not_accepted"
        )
    if choice.identity == "real":
        if not group.allow_real:
            raise InvalidInput(_("In dieser Gruppe gibt es keine Klarnamen."), code="identity")
        return ""
    if choice.identity == "pseudonym":
        if not group.allow_pseudonym:
            raise InvalidInput(_("In dieser Gruppe gibt es keine Pseudonyme."), code="identity")
        return identity.check_pseudonym(choice.pseudonym, group_id=group.id, user=user)
    raise InvalidInput(_("Bitte wählen Sie, wie Sie in der Gruppe heißen."), code="identity")


def active_count(group_id: int) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == group_id,
            Membership.status == "active",
        )
    )


def admit(group: Group, user: User, choice: JoinChoice, *, role: str, now: datetime) -> Membership:
    """Make `user` an active member (new row, or the row of a former member), under the
    group's lock: the size limit is checked against the members counted in this transaction."""
    lock_versioned(Group, group.id)
    row = spaces.membership_of(SPACE_KIND, group.id, _as_actor(user))
    if row is not None and row.status == "active":
        raise Conflict(_("Sie sind bereits Mitglied dieser Gruppe."), code="already_member")
    if row is not None and row.status == "removed":
        raise Conflict(
            _("Sie wurden aus dieser Gruppe entfernt und können nicht wieder beitreten."),
            code="removed",
        )
    display = _check_choice(group, user, choice)
    if active_count(group.id) >= group.size_limit:
        raise Conflict(_("Die Gruppe ist voll."), code="group_full")
    if row is None:
        row = spaces.add_member(
            SPACE_KIND, group.id, user_id=user.id, role=role, status="active", now=now
        )
    else:
        row.role = role
        row.joined_at = now  # a new membership period: the longest-standing count starts anew
        spaces.set_status(row, "active", now=now)
    row.display_name = display
    detail = db.session.get(GroupMember, row.id)
    if detail is None:
        detail = GroupMember(membership_id=row.id, group_id=group.id)
        db.session.add(detail)
    detail.identity = "pseudonym" if display else "real"
    detail.rule_accepted_at = now
    db.session.flush()
    _changed(group.id)
    return row


def _as_actor(user: User):
    from peerlab.accounts.actors import Actor

    return Actor("user", user.id, user.display_name, user=user)


def members(group: Group) -> list[tuple[Membership, str]]:
    """Active members with the name each shows in this group, owners first, by joining."""
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == group.id,
            Membership.status == "active",
        )
        .order_by((Membership.role == OWNER).desc(), Membership.joined_at, Membership.id)
    ).all()
    return [(row, identity.shown_name(row, user)) for row, user in rows]


def _owners(group_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).where(
                Membership.space_kind == SPACE_KIND,
                Membership.space_id == group_id,
                Membership.status == "active",
                Membership.role == OWNER,
            )
        )
    )


def _member_row(group_id: int, membership_id: int) -> Membership:
    row = db.session.get(Membership, membership_id)
    if (
        row is None
        or row.space_kind != SPACE_KIND
        or row.space_id != group_id
        or row.status != "active"
    ):
        raise NotFound()
    return row


def leave(group: Group, row: Membership, *, successor_id: int | None = None, now: datetime) -> None:
    """The member leaves. When the last owner leaves, ownership passes to the member they name
    or else to the longest-standing member."""
    lock_versioned(Group, group.id)
    db.session.refresh(row)
    if row.status != "active":
        raise NotFound()
    if row.role == OWNER and len(_owners(group.id)) == 1:
        others = [m for m, _name in members(group) if m.id != row.id]
        if others:
            if successor_id is not None:
                heir = _member_row(group.id, successor_id)
                if heir.id == row.id:
                    raise InvalidInput(_("Bitte nennen Sie ein anderes Mitglied."))
            else:
                heir = min(others, key=lambda m: (m.joined_at, m.id))
            heir.role = OWNER
    row.role = MEMBER
    spaces.set_status(row, "left", now=now)
    _gone(group.id, row, now=now)


def remove_member(group: Group, owner: Membership, membership_id: int, *, now: datetime) -> None:
    """An owner removes a member (not themselves: they leave)."""
    lock_versioned(Group, group.id)
    target = _member_row(group.id, membership_id)
    if target.id == owner.id:
        raise InvalidInput(_("Um selbst zu gehen, verlassen Sie die Gruppe."), code="self")
    target.role = MEMBER
    spaces.set_status(target, "removed", now=now)
    _gone(group.id, target, now=now)


def make_owner(group: Group, membership_id: int) -> None:
    lock_versioned(Group, group.id)
    _member_row(group.id, membership_id).role = OWNER
    db.session.flush()


def switch_anonymous_off(group: Group) -> None:
    """Owners may end anonymous posting at any time; existing anonymous posts stay."""
    lock_versioned(Group, group.id)
    group.allow_anonymous = False
    db.session.flush()
    _changed(group.id)


def _gone(group_id: int, row: Membership, *, now: datetime) -> None:
    """A former member sees nothing from now on: their group sockets end on every process."""
    db.session.flush()
    if row.user_id is not None:
        queue_disconnect_room(f"user:{row.user_id}", namespace=NAMESPACE)
        from peerlab.coaching import grouped as coaching

        coaching.member_gone(group_id, row.user_id, now=now)  # their roles in its sessions end
        from peerlab.groups import rounds

        rounds.member_gone(group_id, row.user_id, now=now)  # and their places in its rounds
    _changed(group_id)


def _changed(group_id: int) -> None:
    """Tell open group pages to refresh (the payload names nothing: no person, no content)."""
    queue_emit("group:changed", {}, to=room(group_id), namespace=NAMESPACE)
