"""The daily digest "Neues in peerlab": one mail a day at most, at the hour a person chooses.

Formats report activity through core.activity (`report(user_ids, now=now)`), which says only
"these people have something new". Here that becomes a flag per person (`news_since`) and one
due item at the person's next digest hour (in their time zone). The mail names no format, no
group and no count: it says there is something new and links to the dashboard. Its cause key
("notify.digest:<user>:<local day>") makes it once per person and day, even if two runners or
a changed hour meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from peerlab.accounts.models import User
from peerlab.core import due
from peerlab.core.due import DueItem
from peerlab.core.errors import InvalidInput
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.notify.models import DigestSetting
from peerlab.notify.outbox import enqueue_template

DUE_KIND = "notify.digest"
SUBJECT_KIND = "notify.digest_user"
DEFAULT_HOUR = 8
HOURS = range(24)
HOUR_MESSAGE = _l("Bitte wählen Sie eine volle Stunde zwischen 0 und 23 Uhr.")


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Berlin")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Berlin")


def setting_of(user_id: int) -> DigestSetting:
    """The person's setting (a new row with the defaults if they have none yet; flushed)."""
    row = db.session.get(DigestSetting, user_id)
    if row is None:
        row = DigestSetting(
            user_id=user_id, enabled=True, hour=DEFAULT_HOUR, news_since=None, last_day=""
        )
        db.session.add(row)
        db.session.flush()
    return row


def view_of(user_id: int) -> tuple[bool, int]:
    """(enabled, hour) for the profile page, without writing a row."""
    row = db.session.get(DigestSetting, user_id)
    return (True, DEFAULT_HOUR) if row is None else (row.enabled, row.hour)


def local_day(now: datetime, tz: str | None) -> str:
    return now.astimezone(_zone(tz)).date().isoformat()


def next_send(now: datetime, *, tz: str | None, hour: int, last_day: str) -> datetime:
    """The next full `hour` in the zone after `now`, never on the day of the last digest."""
    zone = _zone(tz)
    local = now.astimezone(zone)
    day: date = local.date()
    for _ in range(3):
        candidate = datetime.combine(day, time(hour), tzinfo=zone)
        if candidate > local and day.isoformat() != last_day:
            return candidate.astimezone(UTC)
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _pending(user_id: int) -> DueItem | None:
    return db.session.scalar(
        select(DueItem).where(
            DueItem.kind == DUE_KIND,
            DueItem.subject_kind == SUBJECT_KIND,
            DueItem.subject_id == user_id,
            DueItem.done_at.is_(None),
            DueItem.failed_at.is_(None),
        )
    )


def _schedule(
    user: User,
    row: DigestSetting,
    now: datetime,
    *,
    at: datetime | None = None,
    planned: bool | None = None,
) -> None:
    """Plan the person's next digest unless one is planned (`planned`: known already)."""
    if planned is None:
        planned = _pending(user.id) is not None
    if planned:
        return
    due.schedule(
        DUE_KIND,
        due_at=at or next_send(now, tz=user.timezone, hour=row.hour, last_day=row.last_day),
        now=now,
        subject=(SUBJECT_KIND, user.id),
    )


def on_activity(user_ids: frozenset[int], now: datetime) -> None:
    """core.activity listener: flag each person and plan their next digest (flush). Reads
    the accounts, their settings and their planned digests in one query each, whatever the
    number of people (only a missing setting or digest adds a row)."""
    ids = sorted(user_ids)
    users = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
    settings = _settings_of([u.id for u in users])
    planned = set(
        db.session.scalars(
            select(DueItem.subject_id).where(
                DueItem.kind == DUE_KIND,
                DueItem.subject_kind == SUBJECT_KIND,
                DueItem.subject_id.in_(ids),
                DueItem.done_at.is_(None),
                DueItem.failed_at.is_(None),
            )
        )
    )
    for user in users:
        row = settings[user.id]
        if not row.enabled:
            continue
        if row.news_since is None:
            row.news_since = now
        if user.id not in planned:
            _schedule(user, row, now, planned=False)
    db.session.flush()


def _settings_of(user_ids: list[int]) -> dict[int, DigestSetting]:
    """`setting_of` for many people: one query, new rows with the defaults for the rest."""
    found = {
        row.user_id: row
        for row in db.session.scalars(
            select(DigestSetting).where(DigestSetting.user_id.in_(user_ids))
        )
    }
    for user_id in user_ids:
        if user_id not in found:
            found[user_id] = DigestSetting(
                user_id=user_id, enabled=True, hour=DEFAULT_HOUR, news_since=None, last_day=""
            )
            db.session.add(found[user_id])
    db.session.flush()
    return found


def send_digest(item: DueItem, now: datetime) -> None:
    """Due-item handler: the one mail of the day, if the person still wants it and has news."""
    user = db.session.get(User, item.subject_id) if item.subject_id else None
    row = db.session.get(DigestSetting, item.subject_id) if item.subject_id else None
    if user is None or row is None or not row.enabled or row.news_since is None:
        return
    if user.status != "active":  # invited, not yet signed up: nothing to see yet
        return
    planned = next_send(
        item.due_at - timedelta(seconds=1), tz=user.timezone, hour=row.hour, last_day=""
    )
    if planned > now:  # the person changed their time zone since: their hour comes later
        _schedule(user, row, now, at=planned)
        return
    day = local_day(now, user.timezone)
    if row.last_day == day:  # today's digest went out already: tomorrow's takes the news
        _schedule(user, row, now)
        return
    language = user.language if user.language in ("de", "en") else "de"
    enqueue_template(
        "digest",
        to=user.email,
        language=language,
        now=now,
        user_id=user.id,
        cause_key=f"{DUE_KIND}:{user.id}:{day}",
        name=user.display_name,
        dashboard_url=absolute("pages.home"),
        settings_url=absolute("accounts.profile") + "#digest",
    )
    row.news_since = None
    row.last_day = day
    db.session.flush()


def parse_hour(raw: object) -> int:
    """A full hour 0–23 from a form value; InvalidInput otherwise."""
    try:
        hour = int(str(raw).strip())
    except (TypeError, ValueError):
        hour = -1
    if hour not in HOURS:
        raise InvalidInput(str(HOUR_MESSAGE))
    return hour


def change(user: User, *, enabled: bool, hour: int, now: datetime) -> DigestSetting:
    """Switch the digest on or off and set its hour (flush); the planned mail moves along."""
    if hour not in HOURS:
        raise InvalidInput(str(HOUR_MESSAGE))
    row = setting_of(user.id)
    row.enabled = bool(enabled)
    row.hour = hour
    _drop_pending([user.id])
    if not row.enabled:
        row.news_since = None
    elif row.news_since is not None:
        _schedule(user, row, now)
    db.session.flush()
    return row


def _drop_pending(user_ids: Iterable[int]) -> None:
    db.session.execute(
        delete(DueItem)
        .where(
            DueItem.kind == DUE_KIND,
            DueItem.subject_kind == SUBJECT_KIND,
            DueItem.subject_id.in_(sorted(user_ids)),
            DueItem.done_at.is_(None),
        )
        .execution_options(synchronize_session="fetch")
    )


def export_user(user: User) -> dict:
    enabled, hour = view_of(user.id)
    return {"daily_digest": enabled, "hour": hour}


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    _drop_pending([user.id])
    db.session.execute(delete(DigestSetting).where(DigestSetting.user_id == user.id))
    db.session.flush()
