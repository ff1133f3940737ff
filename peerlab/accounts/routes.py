"""Account pages: thin routes that load, check, call the service, commit and respond."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.accounts import ratelimit, service, sessions
from peerlab.accounts.actors import current_auth_session
from peerlab.accounts.forms import EmptyForm, LoginForm
from peerlab.core.clock import utcnow
from peerlab.core.realtime import end_session_sockets
from peerlab.extensions import db
from peerlab.i18n import safe_next

bp = Blueprint("accounts", __name__)


def blueprints() -> list[Blueprint]:
    return [bp]


def client_key() -> str:
    return request.remote_addr or "unknown"


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        now = utcnow()
        ratelimit.hit(f"login:ip:{client_key()}", limit=20, window_seconds=300, now=now)
        ratelimit.hit(f"login:email:{form.email.data.lower()}", limit=10, window_seconds=900,
                      now=now)
        db.session.commit()
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("E-Mail-Adresse oder Passwort ist falsch."), "danger")
            return render_template("accounts/login.html", form=form), 200
        sessions.open_session(user, now=now)
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), url_for("pages.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/abmelden")
@login_required
def logout():
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("pages.home"))
    auth = current_auth_session()
    if auth is not None:
        sessions.revoke(auth, now=utcnow())
        db.session.commit()
        end_session_sockets(auth.id)
    sessions.close_cookie()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("pages.home"))
