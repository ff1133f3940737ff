"""Setting a session up: roles among existing accounts, the method, the calendar invitation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from peerlab.accounts.models import User
from peerlab.coaching.models import (
    ADVISER,
    CASE_GIVER,
    DEFAULT_MINUTES,
    MAX_ADVISERS,
    MAX_OBSERVERS,
    MIN_ADVISERS,
    MODERATOR,
    OBSERVER,
    PHASES,
    SECRETARY,
    SPACE_KIND,
    CoachingPhase,
    CoachingSession,
)
from peerlab.core import due, spaces
from peerlab.core.errors import Conflict, InvalidInput
from peerlab.core.spaces import Membership
from peerlab.core.urls import is_web_link
from peerlab.extensions import db

AUTO_END = "coaching.auto_end"
AUTO_END_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class SessionSetup:
    title: str
    starts_at: datetime  # aware
    case_giver: int
    moderator: int
    advisers: tuple[int, ...]
    secretary: int | None = None
    observers: tuple[int, ...] = ()
    zone: str = "Europe/Berlin"
    video_url: str = ""
    minutes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MINUTES))
    auto_advance: bool = False
    case_giver_may_propose: bool = False
    anonymous_allowed: bool = True
    group_id: int | None = None  # a confidential group hosts the session (docs/coaching.md)


def _check_minutes(minutes: Mapping[str, int]) -> dict[str, int]:
    clean = {}
    for key in PHASES:
        value = minutes.get(key, DEFAULT_MINUTES[key])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
            raise InvalidInput(_("Jede Phase dauert zwischen 1 und 120 Minuten."))
        clean[key] = value
    return clean


def _cast(setup: SessionSetup) -> list[tuple[int, str]]:
    """(user id, role) for everyone, checked: distinct people, 3–8 advisers, active accounts."""
    cast = [(setup.case_giver, CASE_GIVER), (setup.moderator, MODERATOR)]
    cast += [(uid, ADVISER) for uid in setup.advisers]
    if setup.secretary:
        cast.append((setup.secretary, SECRETARY))
    cast += [(uid, OBSERVER) for uid in setup.observers]
    if not MIN_ADVISERS <= len(setup.advisers) <= MAX_ADVISERS:
        raise InvalidInput(
            _(
                "Eine Beratung braucht %(low)d bis %(high)d Beratende.",
                low=MIN_ADVISERS,
                high=MAX_ADVISERS,
            )
        )
    if len(setup.observers) > MAX_OBSERVERS:
        raise InvalidInput(_("Höchstens %(n)d Beobachtende.", n=MAX_OBSERVERS))
    ids = [uid for uid, _role in cast]
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("Jede Person hat in einer Beratung genau eine Rolle."))
    active = set(
        db.session.scalars(select(User.id).where(User.id.in_(ids), User.status == "active"))
    )
    if active != set(ids):
        raise InvalidInput(_("Bitte wählen Sie nur aktive Konten aus."))
    return cast


def planned_end(session: CoachingSession, steps: list[CoachingPhase] | None = None) -> datetime:
    """The start plus every phase's minutes (`steps`: the session's phases, if already read)."""
    steps = phases(session) if steps is None else steps
    return session.starts_at + timedelta(minutes=sum(p.minutes for p in steps))


def phases(session: CoachingSession) -> list[CoachingPhase]:
    return list(
        db.session.scalars(
            select(CoachingPhase)
            .where(CoachingPhase.session_id == session.id)
            .order_by(CoachingPhase.position)
        )
    )


def create_session(setup: SessionSetup, *, creator: User, now: datetime) -> CoachingSession:
    """The session, its members (active at once: invited existing accounts), the method, the
    due item that ends it 2 hours after the planned end, and one calendar invitation per
    participant (the organizer gets none unless they took a role). Checked before any write."""
    title = (setup.title or "").strip()
    if not title or len(title) > 120:
        raise InvalidInput(_("Der Titel ist nötig und hat höchstens 120 Zeichen."))
    if setup.starts_at.tzinfo is None or setup.starts_at <= now:
        raise InvalidInput(_("Der Termin muss in der Zukunft liegen."))
    if setup.video_url and not is_web_link(setup.video_url):
        raise InvalidInput(_("Der Link zum Videoraum muss mit https:// beginnen."))
    minutes = _check_minutes(setup.minutes)
    cast = _cast(setup)
    anonymous = setup.anonymous_allowed
    if setup.group_id is not None:
        from peerlab.coaching import grouped

        anonymous = grouped.check_cast(setup.group_id, creator, [uid for uid, _r in cast])
        anonymous = anonymous and setup.anonymous_allowed
    session = CoachingSession(
        title=title,
        starts_at=setup.starts_at,
        zone=setup.zone,
        video_url=setup.video_url or "",
        created_by_id=creator.id,
        created_at=now,
        version=0,
        auto_advance=setup.auto_advance,
        case_giver_may_propose=setup.case_giver_may_propose,
        anonymous_allowed=anonymous,
        group_id=setup.group_id,
    )
    db.session.add(session)
    db.session.flush()
    for position, key in enumerate(PHASES):
        db.session.add(
            CoachingPhase(session_id=session.id, position=position, key=key, minutes=minutes[key])
        )
    for uid, role in cast:
        spaces.add_member(SPACE_KIND, session.id, now=now, user_id=uid, role=role, status="active")
    db.session.flush()
    due.schedule(
        AUTO_END,
        due_at=planned_end(session) + AUTO_END_AFTER,
        now=now,
        subject=(SPACE_KIND, session.id),
    )
    from peerlab.coaching.calendar_source import invite

    for uid, _role in cast:
        invite(session, db.session.get(User, uid), organizer=creator, now=now)
    return session


def update_method(
    session: CoachingSession,
    minutes: Mapping[str, int],
    *,
    auto_advance: bool,
    case_giver_may_propose: bool,
    anonymous_allowed: bool,
) -> None:
    """Adjust durations and settings before the start (the caller checked access)."""
    if session.started_at is not None:
        raise Conflict(_("Die Beratung läuft schon; der Ablauf steht fest."), code="started")
    clean = _check_minutes(minutes)
    for phase in phases(session):
        phase.minutes = clean[phase.key]
    session.auto_advance = auto_advance
    session.case_giver_may_propose = case_giver_may_propose
    from peerlab.coaching import grouped

    session.anonymous_allowed = anonymous_allowed and grouped.allows_anonymous(session)
    db.session.flush()
    db.session.execute(
        update(due.DueItem)
        .where(
            due.DueItem.kind == AUTO_END,
            due.DueItem.subject_kind == SPACE_KIND,
            due.DueItem.subject_id == session.id,
            due.DueItem.done_at.is_(None),
        )
        .values(due_at=planned_end(session) + AUTO_END_AFTER)
        .execution_options(synchronize_session=False)
    )


def members(session: CoachingSession) -> list[Membership]:
    order = {
        role: i for i, role in enumerate((CASE_GIVER, MODERATOR, ADVISER, SECRETARY, OBSERVER))
    }
    rows = db.session.scalars(
        select(Membership).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == session.id,
            Membership.status == "active",
        )
    ).all()
    return sorted(rows, key=lambda r: (order.get(r.role, 9), r.id))


def names_of(rows: list[Membership]) -> dict[int, str]:
    """`name_of` for many rows (per membership id), with one query for all accounts."""
    ids = {r.user_id for r in rows if r.user_id}
    users = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    )
    return {r.id: users[r.user_id].display_name if r.user_id in users else "" for r in rows}


def name_of(row: Membership) -> str:
    user = db.session.get(User, row.user_id) if row.user_id else None
    return user.display_name if user else ""
