"""Data export and account deletion, across every feature (see accounts.lifecycle)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from peerlab.accounts import lifecycle, service, sessions
from peerlab.accounts.models import AuditEntry, AuthSession, OneTimeToken, RateEvent, User
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail

RATE_KINDS = ("login", "link", "reset", "2fa")
ACCOUNT_FIELDS = (
    "id",
    "email",
    "name",
    "municipality",
    "function",
    "language",
    "timezone",
    "role",
    "status",
    "totp_enabled",
    "created_at",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def export_data(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything peerlab holds about `user`, without secrets or hashes."""
    account = {name: _jsonable(getattr(user, name)) for name in ACCOUNT_FIELDS}
    account["has_password"] = bool(user.password_hash)
    auth_sessions = db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == user.id).order_by(AuthSession.id)
    ).all()
    audit = db.session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.target_id == user.id, AuditEntry.actor_id == user.id))
        .order_by(AuditEntry.id)
    ).all()
    mails = db.session.scalars(
        select(OutboxMail)
        .where(or_(OutboxMail.user_id == user.id, OutboxMail.to_addr == user.email.lower()))
        .order_by(OutboxMail.id)
    ).all()
    data: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "account": account,
        "sessions": [
            {
                "created_at": _jsonable(s.created_at),
                "last_seen_at": _jsonable(s.last_seen_at),
                "revoked_at": _jsonable(s.revoked_at),
            }
            for s in auth_sessions
        ],
        "audit_log": [
            {
                "at": _jsonable(e.at),
                "action": e.action,
                "by_me": e.actor_id == user.id,
                "about_me": e.target_id == user.id,
                "target_email": e.target_email,
                "detail": e.detail,
            }
            for e in audit
        ],
        "mails": [
            {
                "subject": m.subject,
                "to": m.to_addr,
                "created_at": _jsonable(m.created_at),
                "sent_at": _jsonable(m.sent_at),
            }
            for m in mails
        ],
    }
    for name, exporter in sorted(lifecycle.exporters().items()):
        data[name] = exporter(user)
    return data


def delete_account(
    user: User, *, keep_content: bool, now: datetime, actor: User | None = None
) -> list[int]:
    """Delete the account and what every feature holds; returns the ended session ids.

    With keep_content=True shared contributions stay, shown as "former member" without a
    name (each feature's eraser detaches them); otherwise they are deleted too.
    `actor` is the admin who removes someone, None when people delete their own account.
    Conflict (last_admin) when the account is the last active admin.
    """
    service.ensure_admin_remains(user)
    for _name, eraser in sorted(lifecycle.erasers().items()):
        eraser(user, keep_content, now)
    revoked = sessions.revoke_all(user.id, now=now)
    email = user.email.lower()
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.target_id == user.id)
        .values(target_email="")
        .execution_options(synchronize_session=False)
    )
    if actor is not None and actor.id != user.id:
        service.audit(
            actor=actor,
            action="remove",
            target=user,
            now=now,
            keep_content="yes" if keep_content else "no",
        )
    else:
        entry = service.audit(
            actor=None,
            action="delete_self",
            target=user,
            now=now,
            keep_content="yes" if keep_content else "no",
        )
        entry.target_email = ""
    db.session.execute(
        delete(OutboxMail)
        .where(or_(OutboxMail.user_id == user.id, OutboxMail.to_addr == email))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(RateEvent)
        .where(RateEvent.key.in_([f"{kind}:email:{email}" for kind in RATE_KINDS]))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(OneTimeToken)
        .where(OneTimeToken.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(AuthSession)
        .where(AuthSession.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(user)
    db.session.flush()
    return revoked
