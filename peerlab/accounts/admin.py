"""What admins (and, read-only, organizers) do with accounts: list, change role, remove."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts import erasure, service, sessions
from peerlab.accounts.models import ROLES, AuditEntry, User
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.extensions import db


def may_see_people(user: User | None) -> bool:
    return user is not None and user.role in ("admin", "organizer")


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == "admin"


def people_for(viewer: User) -> list[User]:
    """Admins see everyone; organizers see the people they invited."""
    if viewer.role == "admin":
        return list(db.session.scalars(select(User).order_by(User.name, User.email)).all())
    if viewer.role == "organizer":
        invited_ids = select(AuditEntry.target_id).where(
            AuditEntry.actor_id == viewer.id, AuditEntry.action.in_(("invite", "invite_again"))
        )
        return list(
            db.session.scalars(
                select(User).where(User.id.in_(invited_ids)).order_by(User.name, User.email)
            ).all()
        )
    raise Forbidden()


def audit_entries(viewer: User, *, limit: int = 500) -> list[AuditEntry]:
    if not is_admin(viewer):
        raise Forbidden()
    return list(
        db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        ).all()
    )


def actor_names(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return {u.id: u.display_name for u in users}


def get_person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Diese Person gibt es nicht (mehr)."))
    return user


def change_role(actor: User, target: User, role: str, *, now: datetime) -> list[int]:
    """Give `target` another role; returns sessions ended (a new admin/organizer signs in
    again with a second factor)."""
    if not is_admin(actor):
        raise Forbidden()
    if role not in ROLES:
        raise InvalidInput(_("Unbekannte Rolle."))
    if target.id == actor.id:
        raise Conflict(
            _(
                "Ihre eigene Rolle kann nur eine andere Administratorin oder ein "
                "anderer Administrator ändern."
            ),
            code="own_role",
        )
    if target.role == role:
        return []
    if role != "admin":
        service.ensure_admin_remains(target)
    old = target.role
    target.role = role
    service.audit(actor=actor, action="role_change", target=target, now=now, old=old, new=role)
    ended: list[int] = []
    if role in ("admin", "organizer") and not target.totp_enabled:
        ended = sessions.revoke_all(target.id, now=now)
    db.session.flush()
    return ended


def reset_second_factor(actor: User, target: User, *, now: datetime) -> list[int]:
    """For a lost phone: the second factor is switched off and every session of the person
    ends; admins and organizers set up a new one at their next sign-in."""
    if not is_admin(actor):
        raise Forbidden()
    if target.id == actor.id:
        raise Conflict(
            _(
                "Ihren eigenen zweiten Faktor setzt eine andere Administratorin oder ein "
                "anderer Administrator zurück."
            ),
            code="own_factor",
        )
    target.totp_enabled = False
    target.totp_secret = None
    target.totp_last_step = None
    service.audit(actor=actor, action="reset_2fa", target=target, now=now)
    ended = sessions.revoke_all(target.id, now=now)
    db.session.flush()
    return ended


def remove(actor: User, target: User, *, keep_content: bool, now: datetime) -> list[int]:
    """An admin removes an account (with the same erasure as a self-deletion)."""
    if not is_admin(actor):
        raise Forbidden()
    if target.id == actor.id:
        raise Conflict(_("Ihr eigenes Konto löschen Sie in Ihrem Profil."), code="own_account")
    return erasure.delete_account(target, keep_content=keep_content, now=now, actor=actor)
