"""A mail from the organizer to everyone registered for one date or the whole series.

One mail per person through the outbox; people with a confirmed place, and on request the
people waiting for a date not yet over. Each sending carries a random key (made when the
preview is shown): every mail's cause key contains it, so sending the same confirmed preview
twice (a double click, a reload) queues nothing more. The sending is recorded in the audit log
(who, which series or date, how many recipients; not the text).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from peerlab.accounts.models import User
from peerlab.accounts.service import audit
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.impulses.service.mailing import _language
from peerlab.notify.models import OutboxMail
from peerlab.notify.outbox import enqueue_template

SUBJECT_MAX = 150
BODY_MAX = 5000
_NONCE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    impulse_id: int | None = None  # None: the whole series
    include_waiting: bool = False


def new_nonce() -> str:
    return secrets.token_hex(16)


def check(message: Message) -> Message:
    subject = " ".join(message.subject.split())
    body = message.body.replace("\r\n", "\n").strip()
    if not subject or len(subject) > SUBJECT_MAX:
        raise InvalidInput(
            _("Bitte geben Sie einen Betreff mit höchstens %(max)s Zeichen an.", max=SUBJECT_MAX)
        )
    if not body or len(body) > BODY_MAX:
        raise InvalidInput(
            _("Bitte schreiben Sie eine Nachricht mit höchstens %(max)s Zeichen.", max=BODY_MAX)
        )
    return Message(subject, body, message.impulse_id, message.include_waiting)


def _target(series: Series, message: Message) -> Impulse | None:
    if message.impulse_id is None:
        return None
    impulse = db.session.get(Impulse, message.impulse_id)
    if impulse is None or impulse.series_id != series.id:
        raise InvalidInput(_("Diesen Termin gibt es in der Reihe nicht."))
    return impulse


def recipients(series: Series, message: Message, now: datetime) -> list[User]:
    """Everyone with a confirmed place (of a date not cancelled), and if asked the people
    waiting for a date not yet over; each person once."""
    impulse = _target(series, message)
    statuses = ["confirmed", "waiting"] if message.include_waiting else ["confirmed"]
    stmt = (
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .join(Impulse, Impulse.id == Registration.impulse_id)
        .where(
            Impulse.series_id == series.id,
            Impulse.cancelled_at.is_(None),
            Registration.status.in_(statuses),
            or_(Registration.status == "confirmed", Impulse.starts_at > now),
        )
        .distinct()
        .order_by(User.id)
    )
    if impulse is not None:
        stmt = stmt.where(Impulse.id == impulse.id)
    return [user for user in db.session.scalars(stmt).all() if user.is_active]


def already_sent(nonce: str) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(OutboxMail.cause_key.like(f"impulses.broadcast:{nonce}:%")))
        )
    )


def send(series: Series, message: Message, *, nonce: str, actor: User, now: datetime) -> int:
    """Queue one mail per recipient (in the caller's transaction); returns how many."""
    if not access.organizes(series, actor):
        raise Forbidden()
    message = check(message)
    if not _NONCE.match(nonce or ""):
        raise InvalidInput()
    if already_sent(nonce):
        raise InvalidInput(_("Diese Nachricht ist schon verschickt."))
    impulse = _target(series, message)
    people = recipients(series, message, now)
    if not people:
        raise InvalidInput(_("Niemand ist angemeldet. Die Nachricht wurde nicht verschickt."))
    page_url = absolute("impulses.show_series", series_id=series.id)
    for user in people:
        enqueue_template(
            "impulses_broadcast",
            to=user.email,
            language=_language(user),
            now=now,
            user_id=user.id,
            cause_key=f"impulses.broadcast:{nonce}:{user.id}",
            about=("impulses.impulse", impulse.id) if impulse else ("impulses.series", series.id),
            recipient=user,
            mail_language=_language(user),
            series=series,
            impulse=impulse,
            sender=actor,
            message=message,
            page_url=page_url,
        )
    audit(
        actor=actor,
        action="impulses.broadcast",
        target=None,
        now=now,
        series=str(series.id),
        impulse=str(impulse.id) if impulse else "",
        recipients=str(len(people)),
        waiting="1" if message.include_waiting else "0",
    )
    return len(people)
