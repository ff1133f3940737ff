"""Server-side sign-in sessions. The cookie holds a random token; the database says if it lives."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, session
from flask_login import logout_user, user_logged_in
from sqlalchemy import select, update

from peerlab.accounts.models import AuthSession, User
from peerlab.accounts.tokens import digest, new_secret
from peerlab.extensions import db

# Set in the cookie session when the sign-in included the second factor.
SECOND_FACTOR_KEY = "mfa"
# What survives a sign-in or sign-out: the chosen language and pending flash messages.
KEPT_KEYS = ("lang", "_flashes")


def open_session(user: User, *, now: datetime, second_factor: bool = False) -> AuthSession:
    """Create a session row and put its token into the (signed) cookie session."""
    token = new_secret()
    auth = AuthSession(token_hash=digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    db.session.add(auth)
    db.session.flush()
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()  # no fixation: a fresh cookie session on every sign-in
    session.update(kept)
    # Flask-Login would store the user id; we store the per-login token instead (see actors).
    session["_user_id"] = token
    session["_fresh"] = True
    session["_id"] = current_app.login_manager._session_identifier_generator()
    if second_factor:
        session[SECOND_FACTOR_KEY] = True
    session.permanent = True
    current_app.login_manager._update_request_context_with_user(user)
    user_logged_in.send(current_app._get_current_object(), user=user)
    return auth


def revoke(auth: AuthSession, *, now: datetime) -> None:
    auth.revoked_at = now
    db.session.flush()


def revoke_all(user_id: int, *, now: datetime, keep: int | None = None) -> list[int]:
    """End every session of a user (password change, deletion) but `keep`; returns their ids."""
    query = select(AuthSession.id).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    ids = list(db.session.scalars(query).all())
    if ids:
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.id.in_(ids))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
    return ids


def close_cookie() -> None:
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    logout_user()
    session.clear()
    session.update(kept)
