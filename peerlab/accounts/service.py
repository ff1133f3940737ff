"""Account services: plain functions; actor and clock are parameters; they flush, never commit."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from peerlab.accounts.models import ROLES, AuditEntry, User
from peerlab.accounts.passwords import MAX_LENGTH, MIN_LENGTH, hash_password, verify_password
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.extensions import db


def normalize_email(raw: str) -> str:
    """Lower-case, syntactically valid address (no DNS lookup) or InvalidInput."""
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as err:
        raise InvalidInput(_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")) from err


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(_("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise InvalidInput(_("Das Passwort ist zu lang."))


def find_by_email(email: str) -> User | None:
    try:
        email = normalize_email(email)
    except InvalidInput:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def create_user(
    *,
    email: str,
    now: datetime,
    name: str = "",
    password: str | None = None,
    role: str = "member",
    municipality: str = "",
    function: str = "",
    status: str = "active",
    language: str = "de",
) -> User:
    """Create an account; the e-mail must be new."""
    email = normalize_email(email)
    if role not in ROLES:
        raise InvalidInput(_("Unbekannte Rolle."))
    if find_by_email(email) is not None:
        raise Conflict(_("Für diese E-Mail-Adresse gibt es bereits ein Konto."), code="email_taken")
    if password is not None:
        check_password_rules(password)
    user = User(
        email=email,
        name=name.strip()[:120],
        role=role,
        municipality=municipality.strip()[:120],
        function=function.strip()[:120],
        password_hash=hash_password(password) if password else None,
        status=status,
        language=language if language in ("de", "en") else "de",
        timezone="Europe/Berlin",
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.is_active:
        return None
    return user


def audit(
    *, actor: User | None, action: str, target: User | None, now: datetime, **detail: str
) -> AuditEntry:
    """Record what an admin or organizer did to an account."""
    entry = AuditEntry(
        at=now,
        actor_id=actor.id if actor else None,
        action=action,
        target_id=target.id if target else None,
        target_email=target.email if target else "",
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# --- profile ------------------------------------------------------------------------------
LANGUAGES = ("de", "en")
DEFAULT_TIMEZONE = "Europe/Berlin"


def valid_timezones() -> set[str]:
    from zoneinfo import available_timezones

    return available_timezones()


def update_profile(
    user: User,
    *,
    name: str,
    municipality: str = "",
    function: str = "",
    language: str = "de",
    timezone: str = DEFAULT_TIMEZONE,
) -> None:
    """Change what a person tells others about themselves and how peerlab talks to them."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Bitte geben Sie Ihren Namen an."))
    fields = {
        "name": (name, 120),
        "municipality": (municipality, 120),
        "function": (function, 120),
    }
    clean: dict[str, str] = {}
    for key, (value, limit) in fields.items():
        value = (value or "").strip()
        if len(value) > limit:
            raise InvalidInput(_("Eine Angabe ist zu lang (höchstens %(n)d Zeichen).", n=limit))
        if any(ord(ch) < 32 for ch in value):
            raise InvalidInput(_("Die Eingabe enthält unzulässige Zeichen."))
        clean[key] = value
    if language not in LANGUAGES:
        raise InvalidInput(_("Unbekannte Sprache."))
    if timezone not in valid_timezones():
        raise InvalidInput(_("Unbekannte Zeitzone."))
    for key, value in clean.items():
        setattr(user, key, value)
    user.language = language
    user.timezone = timezone
    db.session.flush()


def set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    db.session.flush()


def change_password(
    user: User, *, current: str, new: str, now: datetime, keep_session_id: int | None
) -> list[int]:
    """Set a new password (the current one is required if there is one); ends other sessions."""
    from peerlab.accounts import sessions

    if user.password_hash and not verify_password(user.password_hash, current or ""):
        raise InvalidInput(_("Das bisherige Passwort stimmt nicht."), code="wrong_password")
    set_password(user, new)
    return sessions.revoke_all(user.id, now=now, keep=keep_session_id)


def ensure_admin_remains(leaving: User) -> None:
    """Refuse (Conflict, code last_admin) when `leaving` is the last active admin.

    The one check for every way an admin goes (role change, removal, self-deletion). It reads
    the admin rows FOR UPDATE (PostgreSQL; on SQLite the transaction holds the write lock from
    its start), so two admins demoting or removing each other at once are decided one after
    the other: the second sees that only one admin is left and is refused.
    """
    admin_ids = db.session.scalars(
        select(User.id)
        .where(User.role == "admin", User.status == "active")
        .order_by(User.id)
        .with_for_update()
    ).all()
    if leaving.id in admin_ids and len(admin_ids) == 1:
        raise Conflict(_("Das letzte Admin-Konto kann nicht entfernt werden."), code="last_admin")
