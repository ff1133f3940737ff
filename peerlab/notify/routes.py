"""The demo mailbox: exists only without SMTP settings; each user sees only mail to them."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.notify.models import OutboxMail

bp = Blueprint("mailbox", __name__, url_prefix="/postfach")


def _own_mail(mail_id: int) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.to_addr != current_user.email.lower() or not mail.sent_at:
        abort(404)
    return mail


@bp.get("/")
@login_required
def inbox():
    mails = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.to_addr == current_user.email.lower(), OutboxMail.sent_at.is_not(None))
        .order_by(OutboxMail.id.desc())
        .limit(100)
    ).all()
    return render_template("notify/inbox.html", mails=mails)


@bp.get("/<int:mail_id>")
@login_required
def show(mail_id: int):
    mail = _own_mail(mail_id)
    parsed = message_from_bytes(mail.raw, policy=default_policy)
    body = parsed.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    has_calendar = any(p.get_content_type() == "text/calendar" for p in parsed.walk())
    return render_template("notify/mail.html", mail=mail, text=text, has_calendar=has_calendar)
