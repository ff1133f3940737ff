"""Server-side sign-in sessions. The cookie holds a random token; the database says if it lives."""

from __future__ import annotations

from datetime import datetime

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from peerlab.accounts.models import AuthSession, User
from peerlab.accounts.tokens import digest, new_secret
from peerlab.extensions import db


def open_session(user: User, *, now: datetime) -> AuthSession:
    """Create a session row and put its token into the (signed) cookie session."""
    token = new_secret()
    auth = AuthSession(token_hash=digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    db.session.add(auth)
    db.session.flush()
    session.clear()  # no fixation: a fresh cookie session on every sign-in
    user._session_token = token  # what Flask-Login stores in the cookie (see User.get_id)
    login_user(user)
    session.permanent = True
    return auth


def revoke(auth: AuthSession, *, now: datetime) -> None:
    auth.revoked_at = now
    db.session.flush()


def revoke_all(user_id: int, *, now: datetime) -> list[int]:
    """End every session of a user (password change, deletion); returns their ids."""
    ids = db.session.scalars(
        select(AuthSession.id).where(AuthSession.user_id == user_id,
                                     AuthSession.revoked_at.is_(None))
    ).all()
    db.session.execute(
        update(AuthSession).where(AuthSession.id.in_(ids)).values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return list(ids)


def close_cookie() -> None:
    logout_user()
    session.clear()
