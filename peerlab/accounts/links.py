"""Flows that work through a link in a mail: sign-in link, password reset, e-mail change.

No enumeration: a request for an unknown address gets the same answer on the page as one for
a known address. Instead of the link, the address gets a neutral "no account" mail, so that the
amount of work (and time) is the same and a person who mistyped learns why no link came.
Requests are rate-limited per IP and per address by the routes.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from peerlab.accounts import service, sessions, tokens
from peerlab.accounts.models import User
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.notify.outbox import enqueue_template


def _minutes(purpose: str) -> int:
    return int(tokens.LIFETIMES[purpose].total_seconds() // 60)


def _no_account(email: str, *, language: str, now: datetime) -> None:
    enqueue_template(
        "no_account",
        to=email,
        language=language,
        now=now,
        email=email,
        signin_url=absolute("accounts.login"),
    )


def send_invitation(user: User, *, now: datetime, inviter_name: str) -> None:
    secret = tokens.issue(user, tokens.INVITE, now=now)
    enqueue_template(
        "invitation",
        to=user.email,
        language=user.language,
        now=now,
        user_id=user.id,
        link=absolute("accounts.accept_invitation", token=secret),
        inviter=inviter_name,
        days=tokens.LIFETIMES[tokens.INVITE].days,
    )


def _mail_link(
    email: str, purpose: str, template: str, endpoint: str, *, now: datetime, language: str
) -> None:
    """Mail a one-time link to an active account; invited people get their invitation again,
    unknown addresses the neutral mail — the same work and the same answer in every case."""
    address = service.normalize_email(email)
    user = service.find_by_email(address)
    if user is not None and user.is_active:
        secret = tokens.issue(user, purpose, now=now)
        enqueue_template(
            template,
            to=user.email,
            language=user.language,
            now=now,
            user_id=user.id,
            name=user.display_name,
            link=absolute(endpoint, token=secret),
            minutes=_minutes(purpose),
        )
    elif user is not None and user.status == "invited":
        send_invitation(user, now=now, inviter_name="peerlab")
    else:
        _no_account(address, language=language, now=now)


def request_signin_link(email: str, *, now: datetime, language: str) -> None:
    """Mail a sign-in link to an active account; the neutral mail otherwise."""
    _mail_link(email, tokens.SIGNIN, "signin_link", "accounts.use_link", now=now, language=language)


def use_signin_link(secret: str, *, now: datetime) -> User:
    """Use up a sign-in link (once) and return its active account."""
    token = tokens.consume(secret, tokens.SIGNIN, now=now)
    if not token.user.is_active:
        raise tokens.LinkInvalid()
    return token.user


def request_password_reset(email: str, *, now: datetime, language: str) -> None:
    """Mail a reset link to an active account; the neutral mail otherwise."""
    _mail_link(
        email, tokens.RESET, "password_reset", "accounts.reset_password", now=now, language=language
    )


def reset_password(
    secret: str, new_password: str, *, now: datetime, keep_session_id: int | None = None
) -> tuple[User, list[int]]:
    """Set the password through a reset link (once); ends every other session of the account."""
    service.check_password_rules(new_password)  # a typo must not use up the link
    token = tokens.consume(secret, tokens.RESET, now=now)
    user = token.user
    if not user.is_active:
        raise tokens.LinkInvalid()
    service.set_password(user, new_password)
    tokens.retire(user.id, tokens.RESET, now=now)
    revoked = sessions.revoke_all(user.id, now=now, keep=keep_session_id)
    return user, revoked


def request_email_change(user: User, new_email: str, *, password: str, now: datetime) -> None:
    """Send a confirmation link to the new address; nothing changes until it is used.

    If the new address already belongs to an account, no mail is sent but the answer is the
    same, so the form does not reveal who has an account.
    """
    from peerlab.accounts.passwords import verify_password

    if user.password_hash and not verify_password(user.password_hash, password or ""):
        raise InvalidInput(_("Das Passwort stimmt nicht."), code="wrong_password")
    address = service.normalize_email(new_email)
    if address == user.email.lower():
        raise InvalidInput(_("Das ist schon Ihre E-Mail-Adresse."))
    if service.find_by_email(address) is not None:
        return
    secret = tokens.issue(user, tokens.EMAIL_CHANGE, now=now, new_email=address)
    enqueue_template(
        "email_change",
        to=address,
        language=user.language,
        now=now,
        user_id=user.id,
        name=user.display_name,
        new_email=address,
        link=absolute("accounts.confirm_email", token=secret),
        hours=int(tokens.LIFETIMES[tokens.EMAIL_CHANGE].total_seconds() // 3600),
    )


def confirm_email_change(secret: str, *, now: datetime) -> User:
    """Switch to the confirmed new address (once) and tell the old address about it."""
    token = tokens.consume(secret, tokens.EMAIL_CHANGE, now=now)
    user = token.user
    address = token.new_email or ""
    if service.find_by_email(address) is not None:
        raise Conflict(_("Diese E-Mail-Adresse kann nicht verwendet werden."), code="email_taken")
    old = user.email
    user.email = address
    for purpose in (tokens.EMAIL_CHANGE, tokens.SIGNIN, tokens.RESET):
        tokens.retire(user.id, purpose, now=now)
    db.session.flush()
    enqueue_template(
        "email_changed",
        to=old,
        language=user.language,
        now=now,
        user_id=user.id,
        name=user.display_name,
        new_email=address,
    )
    return user
