"""The live session: the moderator's controls on core's agenda and the case board.

Every function gets the session already locked (`lock`, a version bump: the write lock), the
actor's membership and `now`; it checks the role and phase rules (`coaching.rules`) first and
changes nothing when they refuse (`Forbidden` with code `not_allowed_now`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.coaching import grouped, rules
from peerlab.coaching.models import (
    ADVISER,
    MAX_CARD,
    MAX_KEY_QUESTION,
    MAX_NOTES,
    MAX_TRY,
    MODERATOR,
    SPACE_KIND,
    CoachingCard,
    CoachingSession,
)
from peerlab.coaching.service import setup
from peerlab.core import agenda, authormarks, presence
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.core.locking import lock_versioned
from peerlab.core.spaces import Membership
from peerlab.extensions import db

CARD_MARK = "coaching.card"
NAMESPACE = "/coaching"


def lock(session_id: int) -> CoachingSession:
    return lock_versioned(CoachingSession, session_id)


def room(session: CoachingSession | int) -> presence.Room:
    return presence.Room(SPACE_KIND, session if isinstance(session, int) else session.id)


def agenda_of(session: CoachingSession) -> agenda.Agenda | None:
    return agenda.get(SPACE_KIND, session.id)


def current_phase(session: CoachingSession) -> str | None:
    """The phase key while the agenda runs, waits or is paused; None before and after."""
    return phase_of(agenda_of(session))


def phase_of(run: agenda.Agenda | None) -> str | None:
    """`current_phase` of an agenda already read (None: no agenda)."""
    if run is None or run.status not in (agenda.RUNNING, agenda.WAITING):
        return None
    return run.steps[run.current_index].label


def _refuse() -> Forbidden:
    return Forbidden(
        _("Das ist in dieser Phase für Ihre Rolle nicht vorgesehen."), code="not_allowed_now"
    )


def require(session: CoachingSession, me: Membership, action: str) -> str | None:
    phase = current_phase(session)
    if not rules.may(action, me.role, phase, case_giver_may_propose=session.case_giver_may_propose):
        raise _refuse()
    return phase


# --- the moderator ---------------------------------------------------------------------------


def start(session: CoachingSession, me: Membership, actor, now: datetime) -> agenda.Agenda:
    require(session, me, "facilitate")
    if agenda_of(session) is not None:
        raise Conflict(_("Die Beratung läuft schon."), code="started")
    on_expiry = agenda.ADVANCE if session.auto_advance else agenda.WAIT
    steps = [agenda.Step(p.key, p.minutes * 60, on_expiry=on_expiry) for p in setup.phases(session)]
    run = agenda.create_agenda(SPACE_KIND, session.id, steps, actor=actor, now=now)
    session.started_at = now
    return agenda.start(run, actor=actor, now=now)


def control(session: CoachingSession, me: Membership, actor, what: str, now: datetime, **kw):
    """advance (with the index the moderator saw), pause, resume, extend (seconds)."""
    require(session, me, "facilitate")
    run = agenda_of(session)
    if run is None:
        raise Conflict(_("Die Beratung hat noch nicht begonnen."), code="not_started")
    if what == "advance":
        return agenda.advance(run, actor=actor, now=now, expected_index=kw.get("expected_index"))
    if what == "pause":
        return agenda.pause(run, actor=actor, now=now)
    if what == "resume":
        return agenda.resume(run, actor=actor, now=now)
    if what == "extend":
        return agenda.extend(run, kw["seconds"], actor=actor, now=now)
    raise InvalidInput()


def name_deputy(session: CoachingSession, me: Membership, deputy_id: int | None) -> None:
    """The moderator names the adviser who may take over if the moderator drops."""
    require(session, me, "facilitate")
    if deputy_id is not None:
        row = db.session.get(Membership, deputy_id)
        if row is None or row.space_kind != SPACE_KIND or row.space_id != session.id:
            raise NotFound()
        if row.role != ADVISER or row.status != "active":
            raise InvalidInput(_("Nur eine beratende Person kann die Moderation übernehmen."))
    session.deputy_id = deputy_id
    db.session.flush()


def moderator(session: CoachingSession) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == session.id,
            Membership.role == MODERATOR,
            Membership.status == "active",
        )
    )


def take_over(session: CoachingSession, me: Membership) -> None:
    """The named deputy takes the moderation while the moderator is not connected; the
    former moderator becomes an adviser (and may be named deputy in turn)."""
    if session.deputy_id != me.id or me.role != ADVISER:
        raise Forbidden(
            _("Die Moderation hat Sie nicht als Vertretung benannt."), code="not_deputy"
        )
    current = moderator(session)
    if current is not None and current.id in presence.present_members(room(session)):
        raise Conflict(_("Die Moderation ist noch verbunden."), code="moderator_present")
    if current is not None:
        current.role = ADVISER
    me.role = MODERATOR
    session.deputy_id = None
    db.session.flush()


# --- the case board --------------------------------------------------------------------------


def _text(value: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise InvalidInput(_("Höchstens %(n)d Zeichen.", n=limit), code="too_long")
    return text


def card_writers_in(session: CoachingSession, phase: str | None, rows) -> frozenset[int]:
    """Membership ids among `rows` whose role may add cards in `phase`."""
    roles = rules.card_writers(phase, case_giver_may_propose=session.case_giver_may_propose)
    return frozenset(r.id for r in rows if r.role in roles)


def anonymity_open(session: CoachingSession, phase: str | None) -> bool:
    """The session (and its group, if any) allows anonymous cards and a phase is current."""
    return session.anonymous_allowed and grouped.allows_anonymous(session) and phase is not None


def anonymous_for(me: Membership, writers: frozenset[int]) -> bool:
    """The floor for `me`, given who may write cards now (`card_writers_in`)."""
    return rules.anonymous_possible(len(writers - {me.id}))


def anonymous_possible(session: CoachingSession, phase: str | None, me: Membership) -> bool:
    return anonymity_open(session, phase) and anonymous_for(
        me, card_writers_in(session, phase, setup.members(session))
    )


def add_card(
    session: CoachingSession, me: Membership, text: str, *, anonymous: bool, now: datetime
) -> tuple[CoachingCard, str | None]:
    """A card in the current phase; returns it and, for an anonymous card, the token that
    lets the author's browser recognise it (stored only as a hash, until the session ends)."""
    phase = require(session, me, "card")
    text = _text(text, MAX_CARD)
    if not text:
        raise InvalidInput(_("Bitte schreiben Sie etwas auf die Karte."))
    if anonymous and not anonymous_possible(session, phase, me):
        raise Forbidden(
            _("Anonym geht nur, wenn mindestens vier andere in dieser Phase schreiben dürfen."),
            code="anonymity_floor",
        )
    card = CoachingCard(
        session_id=session.id,
        phase=phase,
        text=text,
        author_id=None if anonymous else me.id,
        marked=False,
        created_at=now,
    )
    db.session.add(card)
    db.session.flush()
    token = None
    if anonymous:
        token = authormarks.issue_unlinkable(
            CARD_MARK, card.id, now=now, window=timedelta(hours=12)
        )
    return card, token


def _card(session: CoachingSession, card_id: int) -> CoachingCard:
    card = db.session.get(CoachingCard, card_id)
    if card is None or card.session_id != session.id:
        raise NotFound()
    return card


def withdraw_card(
    session: CoachingSession, me: Membership, card_id: int, token: str | None, now: datetime
) -> None:
    """The author takes a card back while they may still write in that phase."""
    card = _card(session, card_id)
    mine = card.author_id == me.id or (
        card.author_id is None
        and authormarks.is_unlinkable_author(CARD_MARK, card.id, token, now=now)
    )
    if not mine:
        raise Forbidden(_("Nur wer die Karte geschrieben hat, kann sie zurückziehen."))
    if require(session, me, "card") != card.phase:
        raise _refuse()
    authormarks.forget(CARD_MARK, card.id)
    db.session.delete(card)
    db.session.flush()


def mark_card(session: CoachingSession, me: Membership, card_id: int, marked: bool) -> None:
    require(session, me, "mark")
    _card(session, card_id).marked = marked
    db.session.flush()


def set_key_question(session: CoachingSession, me: Membership, text: str) -> None:
    require(session, me, "key")
    session.key_question = _text(text, MAX_KEY_QUESTION)
    db.session.flush()


def set_notes(session: CoachingSession, me: Membership, text: str) -> None:
    require(session, me, "notes")
    session.notes = _text(text, MAX_NOTES)
    db.session.flush()


def set_try(session: CoachingSession, me: Membership, text: str) -> None:
    require(session, me, "try")
    session.try_line = _text(text, MAX_TRY)
    db.session.flush()


def cards(session: CoachingSession) -> list[CoachingCard]:
    return list(
        db.session.scalars(
            select(CoachingCard)
            .where(CoachingCard.session_id == session.id)
            .order_by(CoachingCard.id)
        )
    )
