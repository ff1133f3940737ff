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
from sqlalchemy import or_, select, update

from peerlab.core import retention
from peerlab.core.retention import Purged
from peerlab.extensions import db
from peerlab.notify import devmail
from peerlab.notify.models import OutboxMail

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120
BATCH = 50


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Outgoing:
    """What the SMTP conversation needs, copied out of the row (no session while sending)."""

    id: int
    message_id: str
    to_addr: str
    raw: bytes
    kind: str = ""


def _transmit(mail: Outgoing) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USER"):
            smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
        from_addr = cfg["MAIL_FROM"].split("<")[-1].rstrip(">").strip()
        smtp.sendmail(from_addr, [mail.to_addr], mail.raw)


def _deliver(mail_id: int, now: datetime, max_attempts: int) -> bool:
    """Transmit one claimed mail and record the outcome. The outcome is a conditional update,
    not an ORM flush: the row may have been deleted meanwhile (its subject was deleted), which
    must not break the other mails of the batch."""
    row = db.session.get(OutboxMail, mail_id)
    if row is None:
        return False
    db.session.refresh(row)
    mail = Outgoing(row.id, row.message_id, row.to_addr, row.raw, row.kind)
    attempts = row.attempts
    db.session.rollback()  # nothing of ours stays open while the SMTP server talks
    try:
        if current_app.config.get("SMTP_HOST"):
            _transmit(mail)
            delivered_to = "smtp"
        else:
            delivered_to = "mailbox"
    except Exception as err:  # refused, unreachable, or anything else: retry later
        values: dict = {
            "last_error": f"{type(err).__name__}: {str(err)[:300]}",
            "claimed_until": None,
        }
        if attempts >= max_attempts:
            values["failed_at"] = now
            log.error("mail %s given up after %d attempts", mail_id, attempts)
        else:
            values["next_attempt_at"] = now + backoff(attempts)
        _record(mail_id, values)
        return False
    _record(mail_id, {"sent_at": now, "claimed_until": None, "delivered_to": delivered_to})
    if delivered_to == "mailbox" and devmail.enabled(current_app.config):
        devmail.echo(mail.kind, mail.to_addr, mail.raw)  # the demo's terminal (make run)
    return True


def _record(mail_id: int, values: dict) -> None:
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


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
        if _deliver(mail_id, now, max_attempts):
            delivered += 1
    return delivered


def purge_old(now: datetime) -> int:
    """Sent mails hold links and personal data: keep them 30 days, then delete them."""
    count = purge_sent(now).rows
    db.session.commit()
    return count


def purge_sent(now: datetime) -> Purged:
    """The retention purger of sent mails (30 days; flush, the retention runner commits and
    makes the deletion final in the database file)."""
    return retention.delete_rows(OutboxMail, OutboxMail.sent_at < now - timedelta(days=30))


def forget_subject(kinds: frozenset[str], subject_id: int, now: datetime) -> int:
    """Subject lifecycle: sent mails about a deleted subject lose the reference."""
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.about_kind.in_(sorted(kinds)), OutboxMail.about_id == subject_id)
        .values(about_kind=None, about_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
