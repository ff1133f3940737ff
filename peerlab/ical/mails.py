"""Invitation mails: text, HTML and the iTIP part, in the recipient's language and time zone."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from peerlab.core.urls import absolute
from peerlab.i18n import format_clock, format_day, zone_label
from peerlab.ical import builder, service
from peerlab.ical.builder import Person
from peerlab.ical.model import CalEvent
from peerlab.ical.models import Invitation
from peerlab.notify.outbox import CalendarPart, enqueue_template

# One-click answers: the word in the link and the stored PARTSTAT.
ANSWERS = {"zusage": "ACCEPTED", "vielleicht": "TENTATIVE", "absage": "DECLINED"}


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Berlin")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Berlin")


def _language(user) -> str:
    return user.language if user.language in ("de", "en") else "de"


def when_text(starts_at: datetime, ends_at: datetime, *, tz: str | None, language: str) -> str:
    """'Dienstag, 3. März 2026, 10:00–11:00 Uhr' in the reader's zone and language (the house
    format of peerlab.i18n). A zone other than Berlin is named by its place, never by its id:
    '…, 09:00–10:00 Uhr (Vereinigtes Königreich)'."""
    zone = _zone(tz)
    with force_locale(language):
        day = format_day(starts_at, zone)
        begin, finish = format_clock(starts_at, zone), format_clock(ends_at, zone)
        if ends_at.astimezone(zone).date() == starts_at.astimezone(zone).date():
            text = _("%(day)s, %(start)s–%(end)s Uhr", day=day, start=begin, end=finish)
        else:
            text = _(
                "%(day)s, %(start)s Uhr bis %(end_day)s, %(end)s Uhr",
                day=day,
                start=begin,
                end_day=format_day(ends_at, zone),
                end=finish,
            )
        if zone.key != "Europe/Berlin":
            text = f"{text} ({zone_label(zone.key)})"
    return text


def recurrence_text(event: CalEvent, *, language: str) -> str:
    """A short German/English phrase for the series (weekly, n dates)."""
    if not event.rrule:
        return ""
    count = len(service.occurrences(event)) - len(event.exdates)
    freq = str(event.rrule.get("FREQ", "")).upper()
    if language == "en":
        label = {"WEEKLY": "weekly", "DAILY": "daily", "MONTHLY": "monthly"}.get(freq, "repeating")
        return f"{label}, {count} dates"
    label = {"WEEKLY": "wöchentlich", "DAILY": "täglich", "MONTHLY": "monatlich"}.get(
        freq, "wiederkehrend"
    )
    return f"{label}, {count} Termine"


def organizer_person(invitation: Invitation) -> Person:
    """ORGANIZER: peerlab's own sender address (peerlab reads no iTIP replies) with the
    organizer's name as CN, so no client sends answers to a personal mailbox."""
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    organizer = invitation.organizer
    cn = f"{organizer.display_name} (peerlab)" if organizer is not None else (name or "peerlab")
    return Person(email=address, name=cn)


def answer_links(invitation: Invitation) -> dict[str, str]:
    token = service.rsvp_token(invitation.rsvp_salt)
    return {word: absolute("ical.answer", token=token, antwort=word) for word in ANSWERS}


def _context(invitation: Invitation, event: CalEvent, language: str) -> dict:
    user = invitation.user
    return {
        "recipient": user,
        "mail_language": language,
        "event": event,
        "when": when_text(event.starts_at, event.ends_at, tz=user.timezone, language=language),
        "recurrence": recurrence_text(event, language=language),
        "video_url": event.location,
        "page_url": event.url,
        "invitation_url": absolute("ical.invitation", invitation_id=invitation.id),
        "answers": answer_links(invitation),
    }


def request_part(
    invitation: Invitation, event: CalEvent, *, now: datetime, filename: str = "einladung.ics"
) -> CalendarPart:
    """The METHOD:REQUEST for the one invited person, for a format that sends it in a mail of
    its own (invitations.invite(..., mail=False) then invitations.request_for)."""
    user = invitation.user
    ics = builder.build_request(
        event,
        organizer=organizer_person(invitation),
        attendee=Person(user.email, user.display_name),
        now=now,
    )
    return CalendarPart("REQUEST", ics, filename=filename)


def send_request(invitation: Invitation, event: CalEvent, *, now: datetime, update: bool) -> None:
    """Mail METHOD:REQUEST (invitation or update) to the one invited person."""
    user = invitation.user
    part = request_part(invitation, event, now=now)
    language = _language(user)
    enqueue_template(
        "invitation_update" if update else "invitation_request",
        to=user.email,
        language=language,
        now=now,
        user_id=user.id,
        calendar=part,
        about=(invitation.kind, invitation.subject_id),
        **_context(invitation, event, language),
    )


def send_cancel(
    invitation: Invitation,
    event: CalEvent,
    *,
    now: datetime,
    occurrence: datetime | None,
    deleting: bool = False,
) -> None:
    """Mail METHOD:CANCEL for the date or one occurrence to the one invited person
    (`deleting`: the subject is about to be deleted, the mail does not refer to it)."""
    user = invitation.user
    ics = builder.build_cancel(
        event,
        organizer=organizer_person(invitation),
        attendee=Person(user.email, user.display_name),
        now=now,
        occurrence=occurrence,
    )
    language = _language(user)
    context = _context(invitation, event, language)
    if occurrence is not None:
        dropped = builder.cancelled_occurrence(event, occurrence)  # a moved week: its new time
        context["when"] = when_text(
            dropped.starts_at, dropped.ends_at, tz=user.timezone, language=language
        )
    enqueue_template(
        "invitation_cancel",
        to=user.email,
        language=language,
        now=now,
        user_id=user.id,
        calendar=CalendarPart("CANCEL", ics, filename="absage.ics"),
        about=None if deleting else (invitation.kind, invitation.subject_id),
        occurrence=occurrence,
        **context,
    )
