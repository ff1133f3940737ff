"""Build mails (text, HTML, optional calendar part) and put them in the outbox.

The full MIME message, with its Message-ID, is built once here; the sender only transmits the
stored bytes, so a repeat after a crash is recognisably the same mail.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from peerlab.core import retention
from peerlab.core.retention import Purged
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP message: `method` is REQUEST or CANCEL, `ics` the bytes from peerlab.ical."""

    method: str
    ics: bytes
    filename: str = "einladung.ics"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{current_app.config['MAIL_DOMAIN']}>"


def build_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    now: datetime,
    calendar: CalendarPart | None = None,
    attachments: tuple[CalendarPart, ...] = (),
) -> EmailMessage:
    """`calendar` is the one iTIP part a client acts on; `attachments` are further .ics
    files (e.g. one invitation per date of a series in one confirmation mail)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the stored bytes 7-bit with short lines: no server without
    # 8BITMIME can mangle umlauts, and long links survive every relay.
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if calendar is not None:
        method = calendar.method.upper()
        if method not in ("REQUEST", "CANCEL", "PUBLISH"):
            raise ValueError(f"unsupported iTIP method {method!r}")
        if f"\r\nMETHOD:{method}\r\n".encode() not in calendar.ics:
            raise ValueError("the calendar part's method must equal the METHOD inside")
        # The calendar part comes last inside multipart/alternative, method equal to METHOD
        # and unquoted (as Exchange and Google write it); base64 keeps its CRLF lines intact.
        msg.add_alternative(calendar.ics, maintype="text", subtype="calendar", cte="base64")
        cal_part = msg.get_payload()[-1]
        # set_raw: the email package would re-render the header with `method="REQUEST"`.
        del cal_part["Content-Type"]
        cal_part.set_raw("Content-Type", f'text/calendar; charset="UTF-8"; method={method}')
        msg.make_mixed()
        msg.add_attachment(
            calendar.ics, maintype="application", subtype="ics", filename=calendar.filename
        )
    for part in attachments:
        if not msg.is_multipart() or msg.get_content_type() != "multipart/mixed":
            msg.make_mixed()
        msg.add_attachment(part.ics, maintype="application", subtype="ics", filename=part.filename)
    return msg


def enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    now: datetime,
    user_id: int | None = None,
    kind: str = "",
    calendar: CalendarPart | None = None,
    not_before: datetime | None = None,
    cause_key: str | None = None,
    about: tuple[str, int] | None = None,
    attachments: tuple[CalendarPart, ...] = (),
) -> OutboxMail:
    """Add one mail to the outbox in the caller's transaction (flush, no commit).

    `not_before` schedules it for later; `cause_key` makes it once per cause: when a row with
    that key exists (even from before a restart) no second one is added and that row is
    returned; `about` is the (kind, id) of the subject the mail is about."""
    if cause_key is not None:
        existing = _by_cause(cause_key)
        if existing is not None:
            return existing
    message_id = new_message_id()
    msg = build_message(
        to=to,
        subject=subject,
        text=text,
        html=html,
        message_id=message_id,
        now=now,
        calendar=calendar,
        attachments=attachments,
    )
    values = dict(
        message_id=message_id,
        to_addr=to.lower(),
        user_id=user_id,
        kind=kind,
        subject=subject[:300],
        raw=msg.as_bytes(policy=SMTP),
        created_at=now,
        next_attempt_at=max(now, not_before) if not_before else now,
        attempts=0,
        last_error="",
        delivered_to="",
        cause_key=cause_key,
        about_kind=about[0] if about else None,
        about_id=about[1] if about else None,
    )
    if cause_key is None:
        mail = OutboxMail(**values)
        db.session.add(mail)
        db.session.flush()
        return mail
    _insert_once(values)
    mail = _by_cause(cause_key)
    assert mail is not None
    return mail


def _by_cause(cause_key: str) -> OutboxMail | None:
    return db.session.scalar(select(OutboxMail).where(OutboxMail.cause_key == cause_key))


def _insert_once(values: dict) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a concurrent writer of the same cause leaves one row,
    and no savepoint or failed statement spoils the caller's transaction."""
    db.session.flush()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(OutboxMail).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(OutboxMail).on_conflict_do_nothing()
    else:  # pragma: no cover - peerlab runs on SQLite and PostgreSQL
        raise RuntimeError(f"cause keys need ON CONFLICT support, not on {dialect}")
    db.session.execute(stmt.values(**values))


def enqueue_template(
    template: str,
    *,
    to: str,
    language: str,
    now: datetime,
    user_id: int | None = None,
    calendar: CalendarPart | None = None,
    not_before: datetime | None = None,
    cause_key: str | None = None,
    about: tuple[str, int] | None = None,
    attachments: tuple[CalendarPart, ...] = (),
    **context,
) -> OutboxMail:
    """Render mail/<template>.{subject,txt,html} in the recipient's language and enqueue it."""
    with force_locale(language if language in ("de", "en") else "de"):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    return enqueue(
        to=to,
        subject=subject,
        text=text,
        html=html,
        now=now,
        user_id=user_id,
        kind=template,
        calendar=calendar,
        not_before=not_before,
        cause_key=cause_key,
        about=about,
        attachments=attachments,
    )


def mails_about(kind: str, ids: Iterable[int], *, sent_too: bool = True) -> list[OutboxMail]:
    """The mails about these subjects of `kind` (queued ones, and sent ones unless not
    `sent_too`): how a purge finds the mails that carry or point at expired content."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    stmt = select(OutboxMail).where(OutboxMail.about_kind == kind, OutboxMail.about_id.in_(wanted))
    if not sent_too:
        stmt = stmt.where(OutboxMail.sent_at.is_(None))
    return list(db.session.scalars(stmt))


def delete_about(kind: str, ids: Iterable[int], *, sent_too: bool = True) -> Purged:
    """Delete the mails about these subjects, body and all (flush, no commit)."""
    wanted = sorted(set(ids))
    if not wanted:
        return Purged()
    conditions = [OutboxMail.about_kind == kind, OutboxMail.about_id.in_(wanted)]
    if not sent_too:
        conditions.append(OutboxMail.sent_at.is_(None))
    return retention.delete_rows(OutboxMail, *conditions)


def delete_by_cause(prefix: str) -> Purged:
    """Delete the mails whose cause key starts with `prefix` (e.g. "groups.warning:12:")."""
    if not prefix:
        raise ValueError("a cause prefix is needed")
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return retention.delete_rows(OutboxMail, OutboxMail.cause_key.like(f"{escaped}%", escape="\\"))
