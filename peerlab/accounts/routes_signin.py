"""Sign-in by link, second factor, forgotten password and accepting an invitation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from peerlab.accounts import invitations, links, pending, ratelimit, sessions, tokens, twofactor
from peerlab.accounts.actors import current_auth_session
from peerlab.accounts.forms import (
    CodeForm,
    EmailOnlyForm,
    InvitationForm,
    NewPasswordForm,
)
from peerlab.accounts.routes import bp, client_key, email_key, end_sockets
from peerlab.core.clock import utcnow
from peerlab.core.errors import InvalidInput
from peerlab.core.forms import EmptyForm
from peerlab.core.urls import safe_next
from peerlab.extensions import db

CHECK_MAIL_KINDS = ("link", "reset", "email")


def _language() -> str:
    return str(get_locale() or "de")


def _limit_mail_request(kind: str, email: str, now) -> None:
    """Per IP and per address, so nobody floods a mailbox or probes many addresses."""
    ratelimit.hit(f"{kind}:ip:{client_key()}", ratelimit.MAIL_REQUESTS_PER_ADDRESS, now=now)
    ratelimit.hit(f"{kind}:email:{email_key(email)}", ratelimit.MAIL_REQUESTS_PER_MAILBOX, now=now)
    db.session.commit()


@bp.get("/anmelden/post-pruefen")
def check_mail():
    kind = request.args.get("art", "link")
    return render_template(
        "accounts/check_mail.html", kind=kind if kind in CHECK_MAIL_KINDS else "link"
    )


# --- sign-in link ---------------------------------------------------------------------------
@bp.route("/anmelden/link", methods=["GET", "POST"])
def request_link():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        now = utcnow()
        _limit_mail_request("link", form.email.data, now)
        links.request_signin_link(form.email.data, now=now, language=_language())
        db.session.commit()
        return redirect(url_for("accounts.check_mail", art="link"))
    return render_template("accounts/request_link.html", form=form)


@bp.route("/anmelden/link/<token>", methods=["GET", "POST"])
def use_link(token: str):
    """GET only shows a button (mail scanners open links); the POST uses the link up."""
    now = utcnow()
    form = EmptyForm()
    if form.validate_on_submit():
        user = links.use_signin_link(token, now=now)
        db.session.commit()
        return pending.finish_first_factor(user, now=now, next_url=url_for("pages.home"))
    if tokens.peek(token, tokens.SIGNIN, now=now) is None:
        raise tokens.LinkInvalid()
    return render_template("accounts/use_link.html", form=form)


# --- second factor --------------------------------------------------------------------------
def _subject(now):
    """(user, signed_in): who is doing the second factor step, or (None, False)."""
    if current_user.is_authenticated:
        return current_user, True
    return pending.pending_user(now), False


def _complete(user, signed_in: bool, now):
    session.pop(pending.SETUP_SECRET_KEY, None)
    if signed_in:
        session[sessions.SECOND_FACTOR_KEY] = True
        db.session.commit()
        return redirect(
            url_for("accounts.profile") if not user.needs_second_factor else url_for("pages.home")
        )
    next_url = pending.pending_next(url_for("pages.home"))
    sessions.open_session(user, now=now, second_factor=True)
    db.session.commit()
    return redirect(next_url)


def _expired():
    pending.clear()
    flash(_("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."), "warning")
    return redirect(url_for("accounts.login"))


@bp.route("/anmelden/zweiter-faktor", methods=["GET", "POST"])
def second_factor():
    now = utcnow()
    user, signed_in = _subject(now)
    if user is None:
        return _expired()
    if not user.totp_enabled:
        return redirect(url_for("accounts.second_factor_setup"))
    if signed_in and session.get(sessions.SECOND_FACTOR_KEY):
        return redirect(url_for("pages.home"))
    form = CodeForm()
    if form.validate_on_submit():
        ratelimit.check(f"2fa:user:{user.id}", ratelimit.CODE_FAILURES_PER_ACCOUNT, now=now)
        try:
            twofactor.verify(user, form.code.data, now=now)
        except InvalidInput as err:
            db.session.rollback()
            ratelimit.record(f"2fa:user:{user.id}", now=now)
            db.session.commit()
            form.code.errors = [err.message]
            return render_template("accounts/second_factor.html", form=form), 200
        return _complete(user, signed_in, now)
    return render_template("accounts/second_factor.html", form=form)


@bp.route("/anmelden/zweiter-faktor/einrichten", methods=["GET", "POST"])
def second_factor_setup():
    now = utcnow()
    user, signed_in = _subject(now)
    if user is None:
        return _expired()
    if user.totp_enabled:
        if signed_in:
            return redirect(url_for("accounts.two_factor"))
        return redirect(url_for("accounts.second_factor"))
    secret = session.get(pending.SETUP_SECRET_KEY)
    if not isinstance(secret, str) or len(secret) < 16:
        secret = twofactor.new_secret()
        session[pending.SETUP_SECRET_KEY] = secret
    form = CodeForm()
    if form.validate_on_submit():
        ratelimit.check(f"2fa:user:{user.id}", ratelimit.CODE_FAILURES_PER_ACCOUNT, now=now)
        try:
            twofactor.enable(user, secret, form.code.data, now=now)
        except InvalidInput as err:
            db.session.rollback()
            ratelimit.record(f"2fa:user:{user.id}", now=now)
            db.session.commit()
            form.code.errors = [err.message]
        else:
            with force_locale(user.language):  # the person's language, not the sign-in page's
                flash(_("Der zweite Faktor ist eingerichtet."), "success")
            return _complete(user, signed_in, now)
    uri = twofactor.provisioning_uri(secret, user.email)
    return render_template(
        "accounts/second_factor_setup.html",
        form=form,
        required=user.needs_second_factor,
        qr=twofactor.qr_svg(uri, _("QR-Code für Ihre Authenticator-App")),
        secret=twofactor.grouped(secret),
        signed_in=signed_in,
    )


# --- forgotten password ---------------------------------------------------------------------
@bp.route("/passwort-vergessen", methods=["GET", "POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        now = utcnow()
        _limit_mail_request("reset", form.email.data, now)
        links.request_password_reset(form.email.data, now=now, language=_language())
        db.session.commit()
        return redirect(url_for("accounts.check_mail", art="reset"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    now = utcnow()
    if tokens.peek(token, tokens.RESET, now=now) is None:
        raise tokens.LinkInvalid()
    form = NewPasswordForm()
    if form.validate_on_submit():
        auth = current_auth_session() if current_user.is_authenticated else None
        try:
            _user, revoked = links.reset_password(
                token, form.password.data, now=now, keep_session_id=auth.id if auth else None
            )
        except InvalidInput as err:
            db.session.rollback()
            form.password.errors = [err.message]
            return render_template("accounts/reset_password.html", form=form), 200
        db.session.commit()
        end_sockets(revoked)
        flash(_("Ihr Passwort ist geändert. Alle anderen Anmeldungen wurden beendet."), "success")
        if current_user.is_authenticated:
            return redirect(url_for("accounts.profile"))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


# --- invitation -----------------------------------------------------------------------------
@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    now = utcnow()
    invited = invitations.invitation_for(token, now=now)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(
                token,
                name=form.name.data,
                municipality=form.municipality.data or "",
                function=form.function.data or "",
                password=form.password.data,
                now=now,
            )
        except InvalidInput as err:
            db.session.rollback()
            flash(err.message, "danger")
            return render_template(
                "accounts/accept_invitation.html", form=form, invited=invited
            ), 200
        db.session.commit()
        with force_locale(user.language):
            flash(_("Willkommen bei peerlab! Ihr Konto ist eingerichtet."), "success")
        return pending.finish_first_factor(
            user, now=now, next_url=safe_next(None, url_for("pages.home"))
        )
    return render_template("accounts/accept_invitation.html", form=form, invited=invited)
