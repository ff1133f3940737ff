"""Speakers of an impulse: members (an account) or guests (name and e-mail, no account).

A guest gets a personal link: `/impulse/referent/<speaker id>/<token>`, where the token is an
HMAC of (speaker, nonce) with the app secret. Nothing usable is stored; a new nonce renews the
link and None revokes it. Every speaker sees the same overview (`overview`): their date, how
many are registered (counts only, never names), the questions without names, and the feedback
results once the rules allow them (service.feedback).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from peerlab.accounts.models import User
from peerlab.accounts.service import find_by_email, normalize_email
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.ical.mails import when_text
from peerlab.impulses import access
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.models_people import Speaker
from peerlab.impulses.service import feedback, questions
from peerlab.notify.outbox import enqueue_template

MAX_SPEAKERS = 10
NAME_MAX = 120


def link_token(speaker: Speaker) -> str | None:
    """The secret part of a guest speaker's link; None for members and revoked links."""
    if not speaker.is_guest or not speaker.link_nonce:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    msg = f"impulse-speaker:{speaker.id}:{speaker.link_nonce}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:40]


def link_url(speaker: Speaker) -> str | None:
    token = link_token(speaker)
    if token is None:
        return None
    return absolute("impulses.speaker_link", speaker_id=speaker.id, token=token)


def by_link(speaker_id: int, token: str) -> Speaker:
    """The guest speaker whose valid link this is, else NotFound (same answer for an unknown
    speaker, a wrong token and a revoked link)."""
    speaker = db.session.get(Speaker, speaker_id)
    expected = link_token(speaker) if speaker is not None else None
    if expected is None or not isinstance(token, str) or not hmac.compare_digest(expected, token):
        raise NotFound()
    return speaker


def of(impulse: Impulse) -> list[Speaker]:
    return list(
        db.session.scalars(
            select(Speaker).where(Speaker.impulse_id == impulse.id).order_by(Speaker.id)
        )
    )


def names(impulse_ids: list[int]) -> dict[int, list[str]]:
    """Impulse id -> its speakers' names (what everyone who sees the series sees)."""
    result: dict[int, list[str]] = {}
    if not impulse_ids:
        return result
    for speaker in db.session.scalars(
        select(Speaker).where(Speaker.impulse_id.in_(impulse_ids)).order_by(Speaker.id)
    ):
        result.setdefault(speaker.impulse_id, []).append(speaker.display_name)
    return result


def speaks_at(impulse: Impulse, user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Speaker)
            .where(Speaker.impulse_id == impulse.id, Speaker.user_id == user.id)
        )
    )


def _check_room(impulse: Impulse, actor: User) -> None:
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    if impulse.cancelled_at is not None:
        raise InvalidInput(_("Dieser Termin ist abgesagt."))
    count = db.session.scalar(
        select(func.count()).select_from(Speaker).where(Speaker.impulse_id == impulse.id)
    )
    if count >= MAX_SPEAKERS:
        raise InvalidInput(_("Mehr als %(n)d Referierende sind nicht möglich.", n=MAX_SPEAKERS))


def add_member(impulse: Impulse, email: str, *, actor: User, now: datetime) -> Speaker:
    """A member speaker, found by the e-mail address of their account."""
    _check_room(impulse, actor)
    user = find_by_email(email or "")
    if user is None or not user.is_active:
        raise InvalidInput(_("Zu dieser E-Mail-Adresse gibt es kein aktives Konto."))
    if speaks_at(impulse, user):
        raise InvalidInput(_("Diese Person ist schon als Referent*in eingetragen."))
    speaker = Speaker(impulse_id=impulse.id, user_id=user.id, name="", email="", created_at=now)
    db.session.add(speaker)
    db.session.flush()
    _mail(speaker, now=now)
    return speaker


def add_guest(impulse: Impulse, name: str, email: str, *, actor: User, now: datetime) -> Speaker:
    """A guest speaker without an account: gets a mail with their personal link."""
    _check_room(impulse, actor)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Bitte geben Sie einen Namen ein."))
    if len(name) > NAME_MAX:
        raise InvalidInput(_("Der Name ist zu lang (höchstens %(n)d Zeichen).", n=NAME_MAX))
    address = normalize_email(email)
    taken = db.session.scalar(
        select(func.count())
        .select_from(Speaker)
        .where(Speaker.impulse_id == impulse.id, func.lower(Speaker.email) == address)
    )
    if taken:
        raise InvalidInput(_("Diese Person ist schon als Referent*in eingetragen."))
    speaker = Speaker(
        impulse_id=impulse.id,
        user_id=None,
        name=name,
        email=address,
        link_nonce=secrets.token_hex(16),
        created_at=now,
    )
    db.session.add(speaker)
    db.session.flush()
    _mail(speaker, now=now)
    return speaker


def _mail(speaker: Speaker, *, now: datetime) -> None:
    """The speaker's mail: their date and where to see registrations, questions, feedback."""
    impulse = speaker.impulse
    user = speaker.user
    language = user.language if user is not None and user.language in ("de", "en") else "de"
    url = (
        link_url(speaker)
        if speaker.is_guest
        else absolute("impulses.speaker_page", impulse_id=impulse.id)
    )
    enqueue_template(
        "impulses_speaker",
        to=user.email if user is not None else speaker.email,
        language=language,
        now=now,
        user_id=user.id if user is not None else None,
        about=("impulses.impulse", impulse.id),
        name=speaker.display_name,
        impulse=impulse,
        series=impulse.series,
        when=when_text(
            impulse.starts_at,
            impulse.ends_at,
            tz=user.timezone if user is not None else "Europe/Berlin",
            language=language,
        ),
        page_url=url,
        guest=speaker.is_guest,
        mail_language=language,
    )


def _own(speaker_id: int, actor: User) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None:
        raise NotFound()
    access.impulse_for_organizer(speaker.impulse_id, actor)
    return speaker


def speaker_for_organizer(speaker_id: int, actor: User) -> Speaker:
    """A speaker row, for the organizer of its series (else NotFound/Forbidden)."""
    return _own(speaker_id, actor)


def remove(speaker: Speaker, *, actor: User) -> None:
    if not access.organizes(speaker.impulse.series, actor):
        raise Forbidden()
    db.session.delete(speaker)
    db.session.flush()


def renew_link(speaker: Speaker, *, actor: User, now: datetime) -> None:
    """A new personal link (the old one stops working) and a mail carrying it."""
    if not access.organizes(speaker.impulse.series, actor):
        raise Forbidden()
    if not speaker.is_guest:
        raise InvalidInput(_("Nur Gäste haben einen persönlichen Link."))
    speaker.link_nonce = secrets.token_hex(16)
    db.session.flush()
    _mail(speaker, now=now)


def revoke_link(speaker: Speaker, *, actor: User) -> None:
    if not access.organizes(speaker.impulse.series, actor):
        raise Forbidden()
    speaker.link_nonce = None
    db.session.flush()


@dataclass(frozen=True)
class Overview:
    impulse: Impulse
    confirmed: int
    waiting: int
    questions: list[str]
    follow_ups: list[str]
    results: feedback.Results


def overview(impulse: Impulse, *, now: datetime) -> Overview:
    """What a speaker sees: counts only, questions without names, results when allowed."""
    counts = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.impulse_id == impulse.id)
            .group_by(Registration.status)
        ).all()
    )
    return Overview(
        impulse=impulse,
        confirmed=counts.get("confirmed", 0),
        waiting=counts.get("waiting", 0),
        questions=questions.texts_for_speaker(impulse),
        follow_ups=questions.texts_for_speaker(impulse, follow_ups=True),
        results=feedback.results(impulse, now=now),
    )
