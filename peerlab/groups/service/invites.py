"""Invitations: to an existing account (by e-mail) or a one-time link with an expiry.

Only the SHA-256 of an invitation's secret is stored. Looking at an invitation uses nothing up;
the POST that joins does, with one conditional UPDATE, so two simultaneous joins with one link
admit exactly one person. Mails name no group and carry no content. New addresses come in only
through an organizer: they get the ordinary account invitation (its audit entry names no
group) and a group invitation for the new account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from peerlab.accounts import invitations as account_invitations
from peerlab.accounts import service as accounts
from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.spaces import Membership
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.models import MEMBER, SPACE_KIND, Group, Invitation
from peerlab.groups.service import groups as group_service
from peerlab.notify import outbox

MAIL_DAYS = 14
LINK_DAYS = (1, 7, 14)
MAX_SECRET = 100


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new(group: Group, *, user_id: int | None, days: int, now: datetime) -> str:
    secret = secrets.token_urlsafe(24)
    db.session.add(
        Invitation(
            group_id=group.id,
            token_hash=_hash(secret),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    db.session.flush()
    return secret


def _mail(user: User, secret: str, *, now: datetime) -> None:
    outbox.enqueue_template(
        "group_invitation",
        to=user.email,
        language=user.language or "de",
        now=now,
        user_id=user.id,
        kind="group_invitation",
        link=absolute("groups.invitation", secret=secret),
        days=MAIL_DAYS,
    )


def invite_account(group: Group, inviter: Membership, user_id: int, *, now: datetime) -> None:
    """A member invites an existing account (if the group lets members invite)."""
    if not access.may_invite_accounts(group, inviter):
        raise Forbidden(_("In dieser Gruppe laden nur die Verantwortlichen ein."))
    user = db.session.get(User, user_id)
    if user is None or user.status != "active":
        raise InvalidInput(_("Diese Person gibt es nicht."), code="no_account")
    row = spaces.membership_of(SPACE_KIND, group.id, group_service._as_actor(user))
    # The same answer whoever it is: the inviter learns nothing about who is a member (behind
    # a pseudonym) or was removed. A member gets no mail; a removed person is invited again
    # only by an owner.
    if row is not None and row.status == "active":
        return
    if row is not None and row.status == "removed" and not access.is_owner(inviter):
        return
    _mail(user, _new(group, user_id=user.id, days=MAIL_DAYS, now=now), now=now)


def invite_address(group: Group, inviter: User, address: str, *, now: datetime) -> str:
    """An organizer who is a member invites a new e-mail address: an account invitation (whose
    audit entry names no group) plus a group invitation for that account."""
    if not access.may_invite_addresses(inviter):
        raise Forbidden(_("Neue Adressen laden nur Organisatorinnen und Organisatoren ein."))
    valid, invalid, _dupes = account_invitations.parse_list(address or "")
    if len(valid) != 1 or invalid:
        raise InvalidInput(_("Bitte geben Sie genau eine gültige E-Mail-Adresse ein."))
    existing = accounts.find_by_email(valid[0])
    if existing is not None and existing.status == "active":
        raise Conflict(
            _("Zu dieser Adresse gibt es ein Konto: Bitte laden Sie die Person direkt ein."),
            code="has_account",
        )
    if existing is None:
        account_invitations.invite_many(inviter, valid[0], role=MEMBER, now=now)
        existing = accounts.find_by_email(valid[0])
    _mail(existing, _new(group, user_id=existing.id, days=MAIL_DAYS, now=now), now=now)
    return valid[0]


def create_link(group: Group, inviter: Membership, days: int, *, now: datetime) -> str:
    """A one-time link (the secret, shown once to the member who made it)."""
    if not access.may_invite_accounts(group, inviter):
        raise Forbidden(_("In dieser Gruppe laden nur die Verantwortlichen ein."))
    if days not in LINK_DAYS:
        raise InvalidInput(_("Bitte wählen Sie, wie lange der Link gilt."))
    return _new(group, user_id=None, days=days, now=now)


def lookup(secret: str, user: User, *, now: datetime) -> tuple[Invitation, Group]:
    """The open invitation behind `secret` for this signed-in account, or NotFound: unknown,
    used, expired, for another account, or for an ended group all look the same."""
    if not secret or not isinstance(secret, str) or len(secret) > MAX_SECRET:
        raise NotFound()
    inv = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(secret)))
    if inv is None or inv.used_at is not None or inv.expires_at <= now:
        raise NotFound()
    if inv.user_id is not None and inv.user_id != user.id:
        raise NotFound()
    group = db.session.get(Group, inv.group_id)
    if group is None or group.ended_at is not None:
        raise NotFound()
    return inv, group


def join(secret: str, user: User, choice: group_service.JoinChoice, *, now: datetime) -> Group:
    """Use the invitation up and admit the person, in one transaction (the caller commits)."""
    inv, group = lookup(secret, user, now=now)
    used = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == inv.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise NotFound()
    group_service.admit(group, user, choice, role=MEMBER, now=now)
    return group


def pending_for(user: User, *, now: datetime) -> int:
    """How many open e-mail invitations wait for this account (a count: no group named)."""
    return len(
        db.session.scalars(
            select(Invitation.id).where(
                Invitation.user_id == user.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > now,
            )
        ).all()
    )
