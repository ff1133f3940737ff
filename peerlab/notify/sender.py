"""Deliver the outbox: SMTP with retries, or the in-app demo mailbox when no SMTP is set.

Each mail is claimed with a conditional update before sending, so concurrent senders never send
it twice; a refusal by the server schedules a retry; a crash in the moment of sending leaves the
claim to expire and the same bytes (same Message-ID) go out again: at least once, never silently
lost.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from peerlab.extensions import db
from peerlab.notify.models import OutboxMail

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120
BATCH = 50


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Envelope:
    """What SMTP needs of an outbox row, read before the transaction ends."""

    to_addr: str
    raw: bytes


def _transmit(mail: Envelope) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USER"):
            smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
        from_addr = cfg["MAIL_FROM"].split("<")[-1].rstrip(">").strip()
        smtp.sendmail(from_addr, [mail.to_addr], mail.raw)


def send_due(now: datetime) -> int:
    """Send every mail whose next attempt is due; returns how many were delivered."""
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    ids = db.session.scalars(
        select(OutboxMail.id)
        .where(
            OutboxMail.sent_at.is_(None),
            OutboxMail.failed_at.is_(None),
            OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .order_by(OutboxMail.id)
        .limit(BATCH)
    ).all()
    db.session.rollback()
    delivered = 0
    for mail_id in ids:
        claimed = db.session.execute(
            update(OutboxMail)
            .where(
                OutboxMail.id == mail_id,
                OutboxMail.sent_at.is_(None),
                or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
            )
            .values(
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                attempts=OutboxMail.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed != 1:
            continue
        mail = db.session.get(OutboxMail, mail_id)
        db.session.refresh(mail)
        envelope = Envelope(mail.to_addr, mail.raw)
        # End the reading transaction before talking to the mail server: SQLite transactions
        # hold the write lock (core.db_setup), and SMTP waits on the network (under gevent it
        # lets other greenlets run, which would then wait for this lock).
        db.session.commit()
        try:
            if current_app.config.get("SMTP_HOST"):
                _transmit(envelope)
                mail.delivered_to = "smtp"
            else:
                mail.delivered_to = "mailbox"
        except (smtplib.SMTPException, OSError) as err:
            mail.last_error = f"{type(err).__name__}: {str(err)[:300]}"
            mail.claimed_until = None
            if mail.attempts >= max_attempts:
                mail.failed_at = now
                log.error("mail %s given up after %d attempts", mail.message_id, mail.attempts)
            else:
                mail.next_attempt_at = now + backoff(mail.attempts)
            db.session.commit()
            continue
        mail.sent_at = now
        mail.claimed_until = None
        db.session.commit()
        delivered += 1
    return delivered


def purge_old(now: datetime) -> int:
    """Sent mails hold links and personal data: keep them 30 days, then delete them."""
    result = db.session.execute(
        delete(OutboxMail).where(OutboxMail.sent_at < now - timedelta(days=30))
    )
    db.session.commit()
    return result.rowcount or 0
