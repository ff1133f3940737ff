"""Calendar service: stored SEQUENCE per UID, cancelled occurrences, downloads and feeds.

Formats only describe their dates (CalendarSource); this module adds what the calendar keeps
itself (SEQUENCE, dropped occurrences) and decides what reaches whom.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import replace
from datetime import UTC, datetime

from dateutil.rrule import rrulestr
from flask import current_app
from icalendar.prop import vRecur
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from peerlab.accounts.models import User
from peerlab.core.errors import InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.ical import builder, sources
from peerlab.ical.model import CalEvent
from peerlab.ical.models import CalendarSequence, CancelledOccurrence, FeedKey, SeriesFeedKey


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def sequence_row(kind: str, subject_id: int, uid: str, now: datetime) -> CalendarSequence:
    """The stored SEQUENCE row of a date, created at 0 on first use."""
    row = db.session.scalar(select(CalendarSequence).where(CalendarSequence.uid == uid))
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = CalendarSequence(
                uid=uid, kind=kind, subject_id=subject_id, sequence=0, updated_at=now
            )
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(select(CalendarSequence).where(CalendarSequence.uid == uid))
        if row is None:
            raise
    return row


def bump_sequence(row: CalendarSequence, now: datetime) -> int:
    """Raise the SEQUENCE in the database (an atomic UPDATE: two changes at once never share
    a number) and return the new value."""
    db.session.flush()
    db.session.execute(
        update(CalendarSequence)
        .where(CalendarSequence.id == row.id)
        .values(sequence=CalendarSequence.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row)
    return row.sequence


def _complete(
    event: CalEvent, row: CalendarSequence | None, dropped: list[datetime] | None = None
) -> CalEvent:
    """Add the stored SEQUENCE, dropped occurrences (EXDATE) and the cancelled status.
    `dropped`: the event's cancelled occurrences if the caller read them already."""
    if row is None:
        return event
    if dropped is None:
        dropped = list(
            db.session.scalars(
                select(CancelledOccurrence.occurrence).where(CancelledOccurrence.uid == event.uid)
            )
        )
    if dropped:
        known = {_utc(d) for d in event.exdates}
        extra = tuple(d for d in dropped if _utc(d) not in known)
        gone = {_utc(d) for d in dropped}
        event = replace(
            event,
            exdates=event.exdates + extra,
            overrides=tuple(
                o
                for o in event.overrides
                if o.recurrence_id is None or _utc(o.recurrence_id) not in gone
            ),
        )
    if row.cancelled_at is not None:
        event = replace(event, status="CANCELLED")
    return event.with_sequence(max(row.sequence, event.sequence))


def complete_event(event: CalEvent) -> CalEvent:
    row = db.session.scalar(select(CalendarSequence).where(CalendarSequence.uid == event.uid))
    return _complete(event, row)


def current_event(kind: str, subject_id: int) -> CalEvent:
    """The date as the calendar shows it now; NotFound when the source does not know it."""
    event = sources.get(kind).event(subject_id)
    if event is None:
        raise NotFound()
    return complete_event(event)


def occurrences(event: CalEvent) -> list[datetime]:
    """Start times (UTC) of every occurrence the RRULE produces, before EXDATEs."""
    if not event.rrule:
        return [_utc(event.starts_at)]
    rule = builder._rrule(event.rrule, event.tz)
    text = vRecur(rule).to_ical().decode()
    start = builder._local(event.starts_at, event.tz)
    return [_utc(d) for d in rrulestr(f"RRULE:{text}", dtstart=start)]


def is_over(event: CalEvent, now: datetime) -> bool:
    """True once the last occurrence has ended, or the format ended the date early."""
    if event.ended:
        return True
    return occurrences(event)[-1] + (event.ends_at - event.starts_at) <= now


def is_open(event: CalEvent, now: datetime) -> bool:
    """A date people can still answer: neither cancelled nor over."""
    return event.status != "CANCELLED" and not is_over(event, now)


def drop_occurrence(event: CalEvent, occurrence: datetime, now: datetime) -> None:
    """Record one cancelled occurrence; InvalidInput if the series has no such occurrence."""
    if occurrence.tzinfo is None:
        raise InvalidInput()
    if not event.rrule or _utc(occurrence) not in occurrences(event):
        raise InvalidInput()
    exists = db.session.scalar(
        select(CancelledOccurrence.id).where(
            CancelledOccurrence.uid == event.uid,
            CancelledOccurrence.occurrence == _utc(occurrence),
        )
    )
    if exists is not None:
        return
    try:
        with db.session.begin_nested():  # the unique constraint decides a concurrent race
            db.session.add(
                CancelledOccurrence(uid=event.uid, occurrence=_utc(occurrence), cancelled_at=now)
            )
    except IntegrityError:
        pass


# --- downloads and feeds --------------------------------------------------------------------


def download(kind: str, subject_id: int, user: User, now: datetime) -> tuple[CalEvent, bytes]:
    """One date as .ics for a signed-in user who may see it; NotFound otherwise."""
    source = sources.get(kind)
    if not source.can_view(subject_id, user):
        raise NotFound()
    event = current_event(kind, subject_id)
    return event, builder.build_calendar([event], method="PUBLISH", now=now)


def feed_events(events: list[CalEvent], *, own: bool) -> list[CalEvent]:
    """The dates a feed shows, completed with what the calendar keeps: two queries however
    many dates there are."""
    wanted: list[CalEvent] = []
    seen: set[str] = set()
    for event in events:
        if event.uid in seen or (event.confidential and not own):
            continue
        seen.add(event.uid)
        wanted.append(event)
    return [event for event in complete_all(wanted) if event.status != "CANCELLED"]


def complete_all(events: list[CalEvent]) -> list[CalEvent]:
    """`complete_event` for many dates: sequences and dropped occurrences are read for all of
    them at once (two queries, however many)."""
    if not events:
        return []
    uids = sorted({e.uid for e in events})
    rows = {
        row.uid: row
        for row in db.session.scalars(
            select(CalendarSequence).where(CalendarSequence.uid.in_(uids))
        )
    }
    dropped: dict[str, list[datetime]] = {}
    for uid, occurrence in db.session.execute(
        select(CancelledOccurrence.uid, CancelledOccurrence.occurrence)
        .where(CancelledOccurrence.uid.in_(uids))
        .order_by(CancelledOccurrence.id)
    ):
        dropped.setdefault(uid, []).append(occurrence)
    return [_complete(e, rows.get(e.uid), dropped.get(e.uid, [])) for e in events]


def current_events(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], CalEvent]:
    """`current_event` for many (kind, subject id) pairs; unknown ones are left out. A source
    that offers `events(ids)` is asked once per kind, others once per date."""
    wanted: dict[str, list[int]] = {}
    for kind, subject_id in pairs:
        wanted.setdefault(kind, []).append(subject_id)
    found: dict[tuple[str, int], CalEvent] = {}
    for kind, ids in wanted.items():
        try:
            source = sources.get(kind)
        except NotFound:
            continue
        if isinstance(source, sources.BatchSource):
            events = source.events(sorted(set(ids)))
        else:
            events = {i: e for i in set(ids) if (e := source.event(i)) is not None}
        found.update({(kind, i): e for i, e in events.items()})
    keys = list(found)
    return dict(zip(keys, complete_all([found[k] for k in keys]), strict=True))


def personal_events(user: User, now: datetime) -> list[CalEvent]:
    """Every date of every source for this user (confidential ones: the user is entitled)."""
    events: list[CalEvent] = []
    for source in sources.all_sources():
        events.extend(source.events_for(user, now))
    return feed_events(events, own=True)


def personal_feed(user: User, now: datetime, name: str) -> bytes:
    from peerlab.ical import feeds

    return feeds.personal_feed_of(user, now, name).build()


def series_feed(series_kind: str, series_id: int, user: User, now: datetime) -> bytes:
    from peerlab.ical import feeds

    return feeds.series_feed_of(series_kind, series_id, user, now).build()


def public_feed(events: list[CalEvent], name: str, now: datetime) -> bytes:
    """A feed anyone may read (a format's public series): no confidential dates."""
    return builder.build_feed(feed_events(events, own=False), name=name, now=now)


def etag(body: bytes) -> str:
    """An ETag from the calendar content without DTSTAMP (which changes on every build)."""
    stable = b"\r\n".join(line for line in body.split(b"\r\n") if not line.startswith(b"DTSTAMP:"))
    return hashlib.sha256(stable).hexdigest()[:32]


# --- feed tokens ----------------------------------------------------------------------------


def _derive(purpose: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    mac = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    import base64

    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_token(user: User) -> str | None:
    """The user's current feed token (re-derived), or None if none was created yet."""
    key = db.session.scalar(select(FeedKey).where(FeedKey.user_id == user.id))
    if key is None or not user.feed_token_hash:
        return None
    token = _derive("feed", f"{user.id}:{key.nonce}")
    return token if hmac.compare_digest(_hash(token), user.feed_token_hash) else None


def regenerate_feed_token(user: User, now: datetime) -> str:
    """A new feed token; the old URL stops working at once."""
    key = db.session.scalar(select(FeedKey).where(FeedKey.user_id == user.id))
    if key is None:
        key = FeedKey(user_id=user.id, nonce="", created_at=now)
        db.session.add(key)
    key.nonce = secrets.token_hex(32)
    key.created_at = now
    token = _derive("feed", f"{user.id}:{key.nonce}")
    user.feed_token_hash = _hash(token)
    db.session.flush()
    return token


def revoke_feed_token(user: User) -> None:
    user.feed_token_hash = None
    key = db.session.scalar(select(FeedKey).where(FeedKey.user_id == user.id))
    if key is not None:
        db.session.delete(key)
    db.session.flush()


def user_by_feed_token(token: str) -> User:
    """The active user owning this feed token; NotFound for a bad or revoked token."""
    if not token or len(token) > 100:
        raise NotFound()
    user = db.session.scalar(select(User).where(User.feed_token_hash == _hash(token)))
    if user is None or not user.is_active:
        raise NotFound()
    return user


# --- series feed tokens: one per person and series, separate from the personal feed --------


def _series_token(key: SeriesFeedKey) -> str:
    return _derive("series-feed", f"{key.user_id}:{key.series_kind}:{key.series_id}:{key.nonce}")


def _series_key(user: User, series_kind: str, series_id: int) -> SeriesFeedKey | None:
    return db.session.scalar(
        select(SeriesFeedKey).where(
            SeriesFeedKey.user_id == user.id,
            SeriesFeedKey.series_kind == series_kind,
            SeriesFeedKey.series_id == series_id,
        )
    )


def series_feed_token(user: User, series_kind: str, series_id: int) -> str | None:
    """The user's token for one series feed (re-derived), or None before it is created."""
    key = _series_key(user, series_kind, series_id)
    return _series_token(key) if key is not None else None


def regenerate_series_feed_token(
    user: User, series_kind: str, series_id: int, now: datetime
) -> str:
    """A new token for one series feed of a user who may see the series (NotFound otherwise);
    the old URL of this series stops working, other feeds are untouched."""
    source = sources.series_source(series_kind)
    if source.series_title(series_id) is None or not source.can_view_series(series_id, user):
        raise NotFound()
    key = _series_key(user, series_kind, series_id)
    if key is None:
        key = SeriesFeedKey(
            user_id=user.id, series_kind=series_kind, series_id=series_id, created_at=now
        )
        db.session.add(key)
    key.nonce = secrets.token_hex(32)
    key.created_at = now
    token = _series_token(key)
    key.token_hash = _hash(token)
    db.session.flush()
    return token


def revoke_series_feed_token(user: User, series_kind: str, series_id: int) -> None:
    key = _series_key(user, series_kind, series_id)
    if key is not None:
        db.session.delete(key)
        db.session.flush()


def user_by_series_feed_token(series_kind: str, series_id: int, token: str) -> User:
    """The active user whose token opens exactly this series feed; NotFound otherwise (a
    personal feed token or another series' token opens nothing here)."""
    if not token or len(token) > 100:
        raise NotFound()
    key = db.session.scalar(select(SeriesFeedKey).where(SeriesFeedKey.token_hash == _hash(token)))
    if key is None or key.series_kind != series_kind or key.series_id != series_id:
        raise NotFound()
    user = db.session.get(User, key.user_id)
    if user is None or not user.is_active:
        raise NotFound()
    return user


def rsvp_token(salt: str) -> str:
    return _derive("rsvp", salt)


def token_hash(token: str) -> str:
    return _hash(token)
