"""The half-finished sign-in: first factor passed, second factor not yet.

It lives only in the (signed) cookie session, never as a server session: `open_session` runs
after the second factor. A before_request check sends a person with a pending sign-in, or a
signed-in admin/organizer without a verified second factor, to the right step before any other
page works.
"""

from __future__ import annotations

from datetime import datetime

from flask import redirect, request, session, url_for
from flask_login import current_user

from peerlab.accounts import sessions
from peerlab.accounts.models import User
from peerlab.core.clock import utcnow
from peerlab.core.urls import safe_next
from peerlab.extensions import db

PENDING_KEY = "pending_signin"
SETUP_SECRET_KEY = "totp_setup"  # noqa: S105 - a session key name, not a secret
PENDING_SECONDS = 10 * 60

# Pages that work in the middle of a sign-in (everything else waits for the second factor).
ALLOWED_ENDPOINTS = frozenset(
    {
        "static",
        "accounts.second_factor",
        "accounts.second_factor_setup",
        "accounts.logout",
        "accounts.login",
        # other ways in: using one of them replaces the pending sign-in
        "accounts.request_link",
        "accounts.use_link",
        "accounts.check_mail",
        "accounts.forgot_password",
        "accounts.reset_password",
        "accounts.accept_invitation",
        "i18n.switch_language",
        "pages.imprint",
        "pages.privacy",
        "pages.accessibility",
        "pages.healthz",
    }
)


def needs_step(user: User) -> bool:
    return user.needs_second_factor or user.totp_enabled


def step_endpoint(user: User) -> str:
    return "accounts.second_factor" if user.totp_enabled else "accounts.second_factor_setup"


def _reset_cookie_session() -> None:
    kept = {key: session[key] for key in sessions.KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


def start(user: User, *, now: datetime, next_url: str) -> None:
    _reset_cookie_session()
    session[PENDING_KEY] = {"uid": user.id, "at": int(now.timestamp()), "next": next_url}


def pending_user(now: datetime) -> User | None:
    """The person in the middle of signing in, if the pending state is fresh."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    started = data.get("at")
    if not isinstance(started, int) or now.timestamp() - started > PENDING_SECONDS:
        clear()
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.is_active:
        clear()
        return None
    return user


def pending_next(fallback: str) -> str:
    data = session.get(PENDING_KEY)
    target = data.get("next") if isinstance(data, dict) else None
    return safe_next(target, fallback)


def clear() -> None:
    session.pop(PENDING_KEY, None)
    session.pop(SETUP_SECRET_KEY, None)


def finish_first_factor(user: User, *, now: datetime, next_url: str):
    """After password, sign-in link or invitation: sign in, or ask for the second factor."""
    if needs_step(user):
        start(user, now=now, next_url=next_url)
        return redirect(url_for(step_endpoint(user)))
    sessions.open_session(user, now=now)
    db.session.commit()
    return redirect(next_url)


def enforce_second_factor():
    """before_request: no other page before the second factor is done."""
    endpoint = request.endpoint or ""
    if endpoint in ALLOWED_ENDPOINTS or endpoint.startswith("testing."):
        return None
    if current_user.is_authenticated:
        if needs_step(current_user) and not session.get(sessions.SECOND_FACTOR_KEY):
            return redirect(url_for(step_endpoint(current_user)))
        return None
    if PENDING_KEY in session:
        user = pending_user(utcnow())
        if user is not None:
            return redirect(url_for(step_endpoint(user)))
    return None
