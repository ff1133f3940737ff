"""Account pages: thin routes that load, check, call the service, commit and respond.

The blueprint is split by area: sign-in here, links and second factor in routes_signin,
profile in routes_profile, people and audit log in routes_admin.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from peerlab.accounts import pending, ratelimit, service, sessions
from peerlab.accounts.actors import current_auth_session
from peerlab.accounts.forms import LoginForm
from peerlab.accounts.sockets import end_session_sockets
from peerlab.core.clock import utcnow
from peerlab.core.forms import EmptyForm
from peerlab.core.urls import safe_next
from peerlab.extensions import db

bp = Blueprint("accounts", __name__)


def blueprints() -> list[Blueprint]:
    from peerlab.accounts import routes_admin, routes_due, routes_profile, routes_signin  # noqa: F401

    return [bp]


def client_key() -> str:
    """The client's network address; behind proxies, ProxyFix (PROXY_COUNT) has set it."""
    return request.remote_addr or "unknown"


def email_key(raw: str | None) -> str:
    return (raw or "").strip().lower()[:80]


def end_sockets(session_ids: list[int]) -> None:
    """Disconnect live sockets of ended sessions (after the commit that ended them)."""
    for session_id in session_ids:
        end_session_sockets(session_id)


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"), url_for("pages.home"))
    if form.validate_on_submit():
        now = utcnow()
        keys = (f"login:ip:{client_key()}", f"login:email:{email_key(form.email.data)}")
        ratelimit.check(keys[0], ratelimit.LOGIN_FAILURES_PER_ADDRESS, now=now)
        ratelimit.check(keys[1], ratelimit.LOGIN_FAILURES_PER_ACCOUNT, now=now)
        db.session.commit()  # no transaction (no SQLite write lock) while the hash is checked
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:  # only failures count: an office signing in at once is no attack
            for key in keys:
                ratelimit.record(key, now=now)
            db.session.commit()
            flash(_("E-Mail-Adresse oder Passwort ist falsch."), "danger")
            return render_template("accounts/login.html", form=form), 200
        return pending.finish_first_factor(user, now=now, next_url=next_url)
    return render_template("accounts/login.html", form=form)


@bp.post("/abmelden")
def logout():
    """End the server session (every copy of the cookie) and its live sockets."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("pages.home"))
    auth = current_auth_session() if current_user.is_authenticated else None
    if auth is not None:
        auth_id = auth.id  # read before the commit: a refresh after it would open a transaction
        sessions.revoke(auth, now=utcnow())
        db.session.commit()
        end_session_sockets(auth_id)
    sessions.close_cookie()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("pages.home"))
