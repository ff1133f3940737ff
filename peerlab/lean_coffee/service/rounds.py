"""Rounds: create, change, cancel, lock/version, phases, link, roles, follow-ups. The people
of a round (participants, guests, invitations) are in members.py, re-exported here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.core import timebox
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound, WrongPhase
from peerlab.core.locking import bump_version, lock_versioned
from peerlab.core.urls import is_web_link
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.access import GUEST_SCOPE
from peerlab.lean_coffee.models import PHASES, Participant, Round, Topic
from peerlab.lean_coffee.service import presence
from peerlab.lean_coffee.service.members import create_guest as create_guest
from peerlab.lean_coffee.service.members import ensure_participant as ensure_participant
from peerlab.lean_coffee.service.members import invite_people as invite_people
from peerlab.lean_coffee.service.members import participant_in as participant_in
from peerlab.lean_coffee.service.members import remove_guest as remove_guest

TIMEBOX_KIND = "lean_coffee.topic"
SUBJECT_KIND = GUEST_SCOPE  # "lean_coffee.round": how other tables refer to a round


@dataclass
class RoundSettings:
    title: str
    starts_at: datetime
    planned_minutes: int = 60
    description: str = ""
    video_url: str = ""
    vote_budget: int = 3
    multiple_dots: bool = True
    timebox_seconds: int = 480
    extension_percent: int = 50
    min_extension_seconds: int = 60
    anonymous_allowed: bool = True
    access: str = "invited"

    def check(self) -> None:
        if not self.title.strip() or len(self.title) > 160:
            raise InvalidInput(_("Bitte geben Sie einen Titel mit höchstens 160 Zeichen an."))
        if self.starts_at.tzinfo is None:
            raise InvalidInput(_("Der Termin braucht eine Zeitzone."))
        if not 10 <= self.planned_minutes <= 480:
            raise InvalidInput(_("Die geplante Dauer muss zwischen 10 und 480 Minuten liegen."))
        if not 1 <= self.vote_budget <= 10:
            raise InvalidInput(_("Die Punkte pro Person müssen zwischen 1 und 10 liegen."))
        if not 60 <= self.timebox_seconds <= 3600:
            raise InvalidInput(_("Die Zeit pro Thema muss zwischen 1 und 60 Minuten liegen."))
        if not 10 <= self.extension_percent <= 100:
            raise InvalidInput(_("Die Verlängerung muss zwischen 10 und 100 Prozent liegen."))
        if not 30 <= self.min_extension_seconds <= 3600:
            raise InvalidInput(
                _("Die kürzeste Verlängerung muss zwischen 30 Sekunden und 60 Minuten liegen.")
            )
        if self.access not in ("invited", "link"):
            raise InvalidInput(_("Unbekannte Zugangsart."))
        url = self.video_url.strip()
        if url and (not is_web_link(url) or len(url) > 500):
            raise InvalidInput(
                _(
                    "Der Link zum Videoraum muss ein vollständiger Link "
                    "mit https:// oder http:// sein."
                )
            )
        if len(self.description) > 2000:
            raise InvalidInput(_("Die Beschreibung ist zu lang (höchstens 2000 Zeichen)."))


def create_round(
    settings: RoundSettings,
    *,
    creator: User,
    invitees: list[User],
    now: datetime,
    follow_up_of: Round | None = None,
    group_id: int | None = None,
) -> Round:
    """A new round in phase collect; the creator facilitates, invitees become participants.
    `group_id`: a round of a confidential group (the caller checked that creator and invitees
    are its members): invited people only, never a guest link."""
    settings.check()
    if group_id is not None:
        _check_group_access(settings.access)
    rnd = Round(
        title=settings.title.strip(),
        description=settings.description.strip(),
        starts_at=settings.starts_at,
        planned_minutes=settings.planned_minutes,
        video_url=settings.video_url.strip(),
        vote_budget=settings.vote_budget,
        multiple_dots=settings.multiple_dots,
        timebox_seconds=settings.timebox_seconds,
        extension_percent=settings.extension_percent,
        min_extension_seconds=settings.min_extension_seconds,
        anonymous_allowed=settings.anonymous_allowed,
        access=settings.access,
        link_nonce=secrets.token_hex(16) if settings.access == "link" else None,
        phase="collect",
        version=1,
        segment_seconds=0,
        created_by_id=creator.id,
        follow_up_of_id=follow_up_of.id if follow_up_of else None,
        group_id=group_id,
        created_at=now,
    )
    db.session.add(rnd)
    db.session.flush()
    db.session.add(
        Participant(
            round_id=rnd.id,
            user_id=creator.id,
            role="facilitator",
            invited=True,
            votes_used=0,
            created_at=now,
        )
    )
    for user in {u.id: u for u in invitees if u.id != creator.id}.values():
        db.session.add(
            Participant(
                round_id=rnd.id,
                user_id=user.id,
                role="participant",
                invited=True,
                votes_used=0,
                created_at=now,
            )
        )
    db.session.flush()
    if follow_up_of is not None:
        _carry_topics(follow_up_of, rnd, now=now)
    return rnd


def _check_group_access(access: str) -> None:
    if access != "invited":
        raise InvalidInput(
            _("Runden einer vertraulichen Gruppe sind nur für ihre Mitglieder, ohne Gastlink."),
            code="group_round_link",
        )


def _carry_topics(source: Round, target: Round, *, now: datetime) -> None:
    """Undiscussed topics of `source` seed `target` (anonymous ones stay anonymous, unowned)."""
    topics = db.session.scalars(
        select(Topic)
        .where(
            Topic.round_id == source.id,
            Topic.status.in_(("open", "skipped")),
            Topic.discussed_order.is_(None),
        )
        .order_by(Topic.id)
    ).all()
    for topic in topics:
        db.session.add(
            Topic(
                round_id=target.id,
                title=topic.title,
                detail=topic.detail,
                is_anonymous=True,
                status="open",
                carried_from_id=topic.id,
                created_at=now,
            )
        )
    db.session.flush()


def update_round(rnd: Round, settings: RoundSettings, *, now: datetime) -> bool:
    """Change a round before it closes; returns True when its date or length changed.

    Takes the round's lock (and so its one version bump) like every other change of a live
    round: a socket event at the same moment cannot produce a second state with this version.
    """
    lock(rnd.id)  # refreshes `rnd`: the checks below see the latest state
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        raise WrongPhase()
    settings.check()
    if rnd.group_id is not None:
        _check_group_access(settings.access)
    time_changed = (
        settings.starts_at != rnd.starts_at or settings.planned_minutes != rnd.planned_minutes
    )
    started = rnd.phase != "collect"
    rnd.title = settings.title.strip()
    rnd.description = settings.description.strip()
    rnd.starts_at = settings.starts_at
    rnd.planned_minutes = settings.planned_minutes
    rnd.video_url = settings.video_url.strip()
    if not started:  # voting rules cannot change once voting has begun
        rnd.vote_budget = settings.vote_budget
        rnd.multiple_dots = settings.multiple_dots
    rnd.timebox_seconds = settings.timebox_seconds
    rnd.extension_percent = settings.extension_percent
    rnd.min_extension_seconds = settings.min_extension_seconds
    rnd.anonymous_allowed = settings.anonymous_allowed
    if settings.access != rnd.access:
        rnd.access = settings.access
        rnd.link_nonce = secrets.token_hex(16) if settings.access == "link" else None
    db.session.flush()
    return time_changed


def cancel_round(rnd: Round, *, now: datetime) -> None:
    """Cancel a round that has not closed; takes the round's lock (see update_round)."""
    lock(rnd.id)
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        raise WrongPhase()
    rnd.cancelled_at = now
    rnd.link_nonce = None
    if rnd.timebox_id:
        box = db.session.get(timebox.Timebox, rnd.timebox_id)
        if box is not None:
            timebox.stop(box)
    db.session.flush()


def delete_round(rnd: Round, *, now: datetime) -> None:
    """Delete the round and, through core.subjects, everything that refers to it by kind and
    id (timebox, due items, queued mails, calendar dates, guest passes); its own rows go by
    foreign-key cascade. Cancel first if the invited should get a calendar cancellation."""
    from peerlab.core import subjects

    subjects.delete_subject(SUBJECT_KIND, rnd.id, now=now)
    db.session.delete(rnd)
    db.session.flush()


def lock(round_id: int) -> Round:
    """Bump the round's version first thing in a change: this takes the database write lock
    (SQLite) or the row lock (PostgreSQL), so the checks that follow see the latest state."""
    return lock_versioned(Round, round_id)


def lock_as(round_id: int, actor: Actor | None) -> tuple[Round, Participant]:
    """`lock` and `access.require` in one read after the version bump: the round and the
    actor's participant row as the round's policy admits it; NotFound for either missing
    (the same answer for unknown and forbidden)."""
    shape, params = access.bound_actor(actor)
    bump_version(Round, round_id)
    read = _lock_read(shape) if shape else _build_lock_read(access.participant_clause(actor))
    if read is None:
        raise NotFound()
    row = db.session.execute(read, {**params, "b_round_id": round_id}).first()
    if row is None or row[1] is None:
        raise NotFound()
    return row[0], row[1]


@cache
def _lock_read(shape: access.Shape) -> Any:
    """`lock_as`'s read for every actor of one shape, built once (bench/cpu_per_vote.py)."""
    return _build_lock_read(access.bound_participant_clause(shape))


def _build_lock_read(clause: Any) -> Any:
    if clause is None:
        return None
    return (
        select(Round, Participant)
        .outerjoin(Participant, clause)
        .where(Round.id == bindparam("b_round_id", type_=Integer))
        .execution_options(populate_existing=True)
    )


def require_active(rnd: Round, *phases: str) -> None:
    """Raise WrongPhase unless the round runs and is in one of `phases` (none = any open)."""
    if rnd.cancelled_at is not None or rnd.phase == "closed":
        raise WrongPhase(_("Die Runde ist beendet oder abgesagt."))
    if phases and rnd.phase not in phases:
        raise WrongPhase()


def advance_phase(rnd: Round, to: str, *, now: datetime) -> None:
    """Move to the next phase (only one step forward; a replay is refused)."""
    from peerlab.lean_coffee.service import discussion, votes

    require_active(rnd)
    if to not in PHASES or PHASES.index(to) != PHASES.index(rnd.phase) + 1:
        raise WrongPhase(_("Die Runde ist schon in einer anderen Phase."))
    if to == "discuss":
        votes.close_voting(rnd)
        rnd.phase = "discuss"
        discussion.pull_next(rnd, now=now)
    elif to == "wrapup":
        discussion.end_discussion(rnd, now=now)
        rnd.phase = "wrapup"
    elif to == "closed":
        rnd.phase = "closed"
        rnd.closed_at = now
    else:
        rnd.phase = to
    db.session.flush()


def renew_link(rnd: Round, *, revoke: bool) -> None:
    require_active(rnd)
    if rnd.group_id is not None and not revoke:
        _check_group_access("link")
    if revoke:
        rnd.link_nonce = None
    else:
        rnd.access = "link"
        rnd.link_nonce = secrets.token_hex(16)
    db.session.flush()


def handover(rnd: Round, me: Participant, target_id: int) -> Participant:
    """The facilitator hands the role to a signed-in participant who is connected now and
    becomes co-facilitator."""
    require_active(rnd)
    if me.role != "facilitator":
        raise Forbidden()
    if rnd.group_id is not None:
        # A group's round shows presence only as a count and names only by group identity:
        # the refusal below would tell who is absent, so its board offers no hand-over.
        raise Conflict(
            _("In einer Runde Ihrer Gruppe bleibt die Moderation bei Ihnen."), code="forbidden"
        )
    target = participant_in(rnd, target_id)
    if target.is_guest:
        raise Conflict(_("Gäste können die Moderation nicht übernehmen."), code="forbidden")
    if target.id == me.id:
        raise Conflict(_("Sie moderieren bereits."))
    if target.id not in presence.present_ids(rnd):
        # Nobody should be handed a round they do not see: only someone on the board now.
        raise Conflict(
            _(
                "%(name)s ist gerade nicht mit der Runde verbunden. Übergeben Sie die Moderation "
                "an jemanden, der die Runde gerade geöffnet hat.",
                name=target.name,
            ),
            code="not_present",
        )
    target.role = "facilitator"
    me.role = "cofacilitator"
    db.session.flush()
    return target


def appoint(rnd: Round, me: Participant, target_id: int, *, cofacilitator: bool) -> Participant:
    require_active(rnd)
    if me.role != "facilitator":
        raise Forbidden()
    target = participant_in(rnd, target_id)
    if target.is_guest or target.role == "facilitator":
        raise Conflict(_("Diese Rolle kann hier nicht vergeben werden."), code="forbidden")
    target.role = "cofacilitator" if cofacilitator else "participant"
    db.session.flush()
    return target


def phase_hint(phase: str) -> str:
    hints = {
        "collect": _("Schreiben Sie Themen auf, über die Sie sprechen möchten – eines pro Karte."),
        "vote": _("Verteilen Sie Ihre Punkte auf die Themen, die Sie am meisten interessieren."),
        "discuss": _(
            "Sprechen Sie über das aktuelle Thema. Ist die Zeit um, entscheiden Sie "
            "per Daumen, ob es weitergeht."
        ),
        "wrapup": _(
            "Halten Sie Erkenntnisse und Aufgaben fest und schreiben Sie Ihre wichtigste "
            "Erkenntnis in einem Satz."
        ),
        "closed": _("Die Runde ist beendet. Die Zusammenfassung steht bereit."),
    }
    return hints.get(phase, "")
