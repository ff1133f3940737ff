"""Invitations: iTIP messages by mail through the outbox, answers given in peerlab.

Every function flushes and never commits: the caller's transaction holds the change, the
invitation rows and the outbox mails together. Messages carry RSVP=FALSE and name only their
recipient as ATTENDEE; answers come back through peerlab (page or signed one-click link).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.ical import mails, service, sources
from peerlab.ical.model import CalEvent
from peerlab.ical.models import PARTSTATS, CalendarSequence, Invitation


def _event_and_row(kind: str, subject_id: int, now: datetime) -> tuple[CalEvent, CalendarSequence]:
    event = sources.get(kind).event(subject_id)
    if event is None:
        raise NotFound()
    row = service.sequence_row(kind, subject_id, event.uid, now)
    return event, row


def invite(
    kind: str,
    subject_id: int,
    user: User,
    *,
    now: datetime,
    organizer: User | None,
    mail: bool = True,
) -> Invitation:
    """Record the invitation (unique per uid+user) and mail METHOD:REQUEST to this user only.

    Forbidden when the source's can_view refuses the user (e.g. not a member of the group).

    Inviting someone who is already invited changes nothing and sends nothing; inviting again
    after a cancellation re-opens the invitation and sends a fresh REQUEST.
    `mail=False`: record only; the format sends the REQUEST in a mail of its own
    (`request_for`), e.g. one confirmation listing several dates.
    """
    if not sources.get(kind).can_view(subject_id, user):
        raise Forbidden()  # an invitation mail would show the date to someone not entitled
    event, row = _event_and_row(kind, subject_id, now)
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.uid == event.uid, Invitation.user_id == user.id)
    )
    if invitation is not None and invitation.cancelled_at is None:
        return invitation
    if invitation is None:
        salt = secrets.token_hex(16)
        try:
            with db.session.begin_nested():
                invitation = Invitation(
                    uid=event.uid,
                    kind=kind,
                    subject_id=subject_id,
                    user_id=user.id,
                    organizer_id=organizer.id if organizer else None,
                    partstat="NEEDS-ACTION",
                    invited_at=now,
                    rsvp_salt=salt,
                    rsvp_token_hash=service.token_hash(service.rsvp_token(salt)),
                )
                db.session.add(invitation)
        except IntegrityError:  # invited concurrently: the other request sends the mail
            return db.session.scalars(
                select(Invitation).where(Invitation.uid == event.uid, Invitation.user_id == user.id)
            ).one()
    else:
        invitation.cancelled_at = None
        invitation.partstat = "NEEDS-ACTION"
        invitation.responded_at = None
        invitation.invited_at = now
        if organizer is not None:
            invitation.organizer_id = organizer.id
    if row.cancelled_at is not None:
        row.cancelled_at = None
        service.bump_sequence(row, now)
    db.session.flush()
    if mail:
        current = service.complete_event(event)
        mails.send_request(invitation, current, now=now, update=False)
    return invitation


def request_for(invitation: Invitation, *, now: datetime, filename: str = "einladung.ics"):
    """The current METHOD:REQUEST of an invitation as a mail part (notify.outbox.CalendarPart)."""
    event, _row = _event_and_row(invitation.kind, invitation.subject_id, now)
    return mails.request_part(invitation, service.complete_event(event), now=now, filename=filename)


def withdraw(kind: str, subject_id: int, user: User, *, now: datetime) -> bool:
    """Cancel the date for one person only (they gave their place back): METHOD:CANCEL to
    them, a higher SEQUENCE, the others keep their invitation. False if they had none open."""
    event, row = _event_and_row(kind, subject_id, now)
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.uid == event.uid,
            Invitation.user_id == user.id,
            Invitation.cancelled_at.is_(None),
        )
    )
    if invitation is None:
        return False
    sequence = service.bump_sequence(row, now)
    message = replace(service.complete_event(event), status="CANCELLED").with_sequence(sequence)
    mails.send_cancel(invitation, message, now=now, occurrence=None)
    invitation.cancelled_at = now
    db.session.flush()
    return True


def send_update(kind: str, subject_id: int, *, now: datetime) -> int:
    """Raise SEQUENCE and mail REQUEST to everyone invited who has not declined (and may
    still see the date).

    After a cancellation of the whole date, an update re-opens it: the invitations withdrawn
    by that cancellation become open again and their people get the REQUEST.
    """
    event, row = _event_and_row(kind, subject_id, now)
    if row.cancelled_at is not None:
        for invitation in db.session.scalars(
            select(Invitation).where(
                Invitation.uid == event.uid, Invitation.cancelled_at == row.cancelled_at
            )
        ):
            invitation.cancelled_at = None
        row.cancelled_at = None
    service.bump_sequence(row, now)
    current = service.complete_event(event)
    source = sources.get(kind)
    count = 0
    for invitation in _active(event.uid):
        if invitation.partstat == "DECLINED":
            continue
        if not source.can_view(subject_id, invitation.user):
            continue  # lost access (left the group): no new time or link for them
        mails.send_request(invitation, current, now=now, update=True)
        count += 1
    return count


def send_cancel(
    kind: str,
    subject_id: int,
    *,
    now: datetime,
    occurrence: datetime | None = None,
    deleting: bool = False,
) -> int:
    """Mail METHOD:CANCEL to everyone invited: the whole date, or one occurrence of a series.

    The dropped occurrence is stored, so feeds, downloads and later updates leave it out.
    `deleting=True` when the subject is deleted in the same transaction: the mails then carry
    no reference to it (deleting a subject drops its queued mails, not these) and no link to
    its page, which will be gone.
    """
    event, row = _event_and_row(kind, subject_id, now)
    before = service.complete_event(event)  # still holds the override of a moved week
    if occurrence is not None:
        service.drop_occurrence(event, occurrence, now)
    sequence = service.bump_sequence(row, now)
    if occurrence is None:
        row.cancelled_at = now
    current = service.complete_event(event)
    message = before.with_sequence(sequence) if occurrence is not None else current
    if deleting:
        message = replace(message, url=None)
    invited = _active(event.uid)
    for invitation in invited:
        mails.send_cancel(invitation, message, now=now, occurrence=occurrence, deleting=deleting)
        if occurrence is None:
            invitation.cancelled_at = now
    db.session.flush()
    return len(invited)


def responses(kind: str, subject_id: int) -> list[Invitation]:
    """Everyone invited to a date (also cancelled invitations), for the organizer's view."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.kind == kind, Invitation.subject_id == subject_id)
            .order_by(Invitation.invited_at, Invitation.id)
        )
    )


def _active(uid: str) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.uid == uid, Invitation.cancelled_at.is_(None))
            .order_by(Invitation.id)
        )
    )


def closed_reason(invitation: Invitation, now: datetime) -> str | None:
    """Why this invitation takes no answer any more (a sentence for people), or None while
    its date is open: not cancelled, not deleted, not over and not ended early."""
    if invitation.cancelled_at is not None:
        return _("Dieser Termin ist abgesagt. Eine Antwort ist nicht mehr möglich.")
    try:
        event = service.current_event(invitation.kind, invitation.subject_id)
    except NotFound:
        return _("Diesen Termin gibt es nicht mehr.")
    if event.status == "CANCELLED":
        return _("Dieser Termin ist abgesagt. Eine Antwort ist nicht mehr möglich.")
    if service.is_over(event, now):
        return _("Dieser Termin ist vorbei. Eine Antwort ist nicht mehr möglich.")
    return None


def respond(invitation: Invitation, partstat: str, *, now: datetime) -> Invitation:
    """Record an answer (ACCEPTED, DECLINED, TENTATIVE) to a date that is still open; a
    cancelled, deleted, past or early-ended date takes none (InvalidInput saying why)."""
    if partstat not in PARTSTATS or partstat == "NEEDS-ACTION":
        raise InvalidInput()
    reason = closed_reason(invitation, now)
    if reason is not None:
        raise InvalidInput(reason)
    invitation.partstat = partstat
    invitation.responded_at = now
    db.session.flush()
    return invitation


def own_invitation(invitation_id: int, user: User) -> Invitation:
    """An invitation of this user; NotFound for anyone else's."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.user_id != user.id:
        raise NotFound()
    return invitation


def by_answer_token(token: str) -> Invitation:
    """The invitation a signed one-click link belongs to; NotFound for a bad token."""
    if not token or len(token) > 100:
        raise NotFound()
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.rsvp_token_hash == service.token_hash(token))
    )
    if invitation is None:
        raise NotFound()
    return invitation


def open_invitations(user: User) -> list[Invitation]:
    """Invitations still waiting for this user's answer."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.user_id == user.id,
                Invitation.partstat == "NEEDS-ACTION",
                Invitation.cancelled_at.is_(None),
            )
            .order_by(Invitation.invited_at)
        )
    )


def user_invitations(user: User) -> list[Invitation]:
    """All invitations of this user that were not withdrawn."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.user_id == user.id, Invitation.cancelled_at.is_(None))
            .order_by(Invitation.invited_at)
        )
    )
