"""Organizers and admins invite people by e-mail, one by one or as a list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr

from flask_babel import gettext as _

from peerlab.accounts import links, service, tokens
from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db

MAX_PER_LIST = 200
_SPLIT = re.compile(r"[\n\r,;]+")


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    reinvited: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def may_invite(user: User | None) -> bool:
    return user is not None and user.role in ("admin", "organizer")


def roles_for(inviter: User) -> tuple[str, ...]:
    """Admins may invite any role; organizers invite members."""
    return ("member", "organizer", "admin") if inviter.role == "admin" else ("member",)


def parse_list(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split a pasted list into (valid addresses, invalid lines, duplicates), keeping order."""
    valid: list[str] = []
    invalid: list[str] = []
    duplicates: list[str] = []
    for raw in _SPLIT.split(text or ""):
        item = raw.strip()
        if not item:
            continue
        candidate = parseaddr(item)[1] if "<" in item else item
        try:
            address = service.normalize_email(candidate)
        except InvalidInput:
            invalid.append(item[:254])
            continue
        if address in valid:
            duplicates.append(address)
        else:
            valid.append(address)
    return valid, invalid, duplicates


def invite_many(inviter: User, text: str, *, role: str, now: datetime) -> InviteReport:
    """Invite every valid address; report invalid lines, duplicates and existing accounts."""
    if not may_invite(inviter):
        raise Forbidden()
    if role not in roles_for(inviter):
        raise Forbidden(_("Sie dürfen nur Teilnehmende einladen."))
    valid, invalid, duplicates = parse_list(text)
    if len(valid) + len(invalid) > MAX_PER_LIST:
        raise InvalidInput(_("Bitte höchstens %(n)d Adressen auf einmal.", n=MAX_PER_LIST))
    if not valid and not invalid:
        raise InvalidInput(_("Bitte geben Sie mindestens eine E-Mail-Adresse ein."))
    report = InviteReport(invalid=invalid, duplicates=duplicates)
    for address in valid:
        existing = service.find_by_email(address)
        if existing is not None and existing.status == "invited":
            links.send_invitation(existing, now=now, inviter_name=inviter.display_name)
            service.audit(actor=inviter, action="invite_again", target=existing, now=now)
            report.reinvited.append(address)
            continue
        if existing is not None:
            report.existing.append(address)
            continue
        user = service.create_user(
            email=address, role=role, status="invited", now=now, language=inviter.language
        )
        links.send_invitation(user, now=now, inviter_name=inviter.display_name)
        service.audit(actor=inviter, action="invite", target=user, now=now, role=role)
        report.invited.append(address)
    return report


def invitation_for(secret: str, *, now: datetime) -> User:
    """The invited person behind a valid invitation link (without using it)."""
    token = tokens.peek(secret, tokens.INVITE, now=now)
    if token is None or token.user.status != "invited":
        raise tokens.LinkInvalid()
    return token.user


def accept(
    secret: str, *, name: str, municipality: str, function: str, password: str, now: datetime
) -> User:
    """Complete an invitation: profile and password, then the account is active (link used)."""
    service.check_password_rules(password)
    if not (name or "").strip():
        raise InvalidInput(_("Bitte geben Sie Ihren Namen an."))
    token = tokens.consume(secret, tokens.INVITE, now=now)
    user = token.user
    if user.status != "invited":
        raise tokens.LinkInvalid()
    service.update_profile(
        user,
        name=name,
        municipality=municipality,
        function=function,
        language=user.language,
        timezone=user.timezone or service.DEFAULT_TIMEZONE,
    )
    service.set_password(user, password)
    user.status = "active"
    tokens.retire(user.id, tokens.INVITE, now=now)
    service.audit(actor=user, action="invite_accepted", target=user, now=now)
    db.session.flush()
    return user
