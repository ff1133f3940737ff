"""Who is asking: a signed-in user or a guest with a pass. Used by pages and sockets alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import abort, current_app, session
from flask_login import current_user
from sqlalchemy import Select, String, bindparam, select

from peerlab.accounts.models import AuthSession, GuestPass, User
from peerlab.accounts.tokens import digest
from peerlab.core.clock import utcnow
from peerlab.extensions import db, login_manager

GUEST_KEY = "guest_pass"


@dataclass(frozen=True)
class Actor:
    kind: str  # "user" | "guest"
    id: int
    name: str
    user: User | None = None
    guest: GuestPass | None = None

    @property
    def room(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def is_guest(self) -> bool:
        return self.kind == "guest"

    @property
    def role(self) -> str:
        return self.user.role if self.user else "guest"


@cache
def _live_session() -> Select:
    """The account of an unrevoked sign-in by its token hash, built once (every request and
    every socket event asks it; bench/cpu_per_vote.py). Only the User is loaded: loading the
    sign-in row as an object too cost a tenth of a vote's CPU."""
    return (
        select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            AuthSession.token_hash == bindparam("token_hash", type_=String),
            AuthSession.revoked_at.is_(None),
        )
    )


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The cookie carries a per-login token; a revoked or unknown token signs nobody in."""
    if not session_token:
        return None
    user = db.session.scalar(_live_session(), {"token_hash": digest(session_token)})
    if user is None or not user.is_active:
        return None
    return user


def current_auth_session() -> AuthSession | None:
    token = session.get("_user_id")
    if not token:
        return None
    return db.session.scalar(
        select(AuthSession).where(
            AuthSession.token_hash == digest(token), AuthSession.revoked_at.is_(None)
        )
    )


def current_guest(now: datetime | None = None) -> GuestPass | None:
    """The guest pass in the cookie session, if it is not revoked and not older than
    GUEST_PASS_DAYS (a guest comes for one date and its summary, not for good)."""
    token = session.get(GUEST_KEY)
    if not token or not isinstance(token, str):
        return None
    now = now or utcnow()
    oldest = now - timedelta(days=current_app.config["GUEST_PASS_DAYS"])
    return db.session.scalar(
        select(GuestPass).where(
            GuestPass.token_hash == digest(token),
            GuestPass.revoked_at.is_(None),
            GuestPass.created_at > oldest,
        )
    )


def current_actor() -> Actor | None:
    """The signed-in user, else a valid guest pass, else None."""
    if current_user.is_authenticated:
        return Actor("user", current_user.id, current_user.display_name, user=current_user)
    guest = current_guest()
    if guest is not None:
        return Actor("guest", guest.id, guest.display_name, guest=guest)
    return None


def signed_in_actor() -> Actor:
    """The signed-in user as actor for pages only members with an account use; a guest pass or
    nobody: 401."""
    actor = current_actor()
    if actor is None or actor.kind != "user":
        abort(401)
    return actor
