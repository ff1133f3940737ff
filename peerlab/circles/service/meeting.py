"""The live weekly meeting of a circle on core's timed agenda (issue 9).

One turn per member: present members share the speaking time equally, an absent member with a
check-in gets a one-minute step that shows it, absent members without one are skipped, a
latecomer's turn is added at the end; the week's exercise comes first. The facilitator of the
week (rotating; anyone present may take over when they are not there) starts the meeting; the
facilitator and the optional timekeeper move, pause and extend it. Every function takes the
actor and `now`; access is the circle's membership policy (circles.access).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from peerlab.accounts.models import User
from peerlab.circles import access, prompts, schedule
from peerlab.circles.meeting_models import CircleMeeting
from peerlab.circles.models import SPACE_KIND, CheckIn, Circle
from peerlab.core import agenda, presence
from peerlab.core.agenda import ADVANCE, WAIT, Step
from peerlab.core.errors import Conflict, Forbidden, InvalidInput
from peerlab.core.locking import lock_versioned
from peerlab.core.spaces import Membership
from peerlab.extensions import db

KIND = "circles.meeting"  # agenda subject kind and presence room kind; subject id = meeting id
EXERCISE, TURN, CHECKIN = "exercise", "turn", "checkin"
CHECKIN_SECONDS = 60
MIN_TURN_SECONDS = 60
NOTES_MAX = 4000
TOTAL_RANGE = (15, 120)  # minutes for the whole meeting
EXERCISE_RANGE = (0, 30)


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str


def people(circle: Circle) -> list[Person]:
    """The circle's active members in a stable order: the circle's facilitator first, then by
    the time they joined."""
    rows = db.session.execute(
        select(Membership.user_id, User.name, Membership.display_name)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == circle.id,
            Membership.status == "active",
        )
        .order_by(Membership.role != "facilitator", Membership.joined_at, Membership.id)
    ).all()
    return [Person(uid, shown or name) for uid, name, shown in rows]


def rotating_facilitator(members: Sequence[Person], number: int) -> int | None:
    """Week n is facilitated by the n-th member in turn (the circle's facilitator first)."""
    return members[(number - 1) % len(members)].user_id if members else None


def turn_seconds(budget_seconds: int, present: int) -> int:
    """An equal share of the budget, in whole ten seconds, at least a minute."""
    if present <= 0:
        return 0
    return max(MIN_TURN_SECONDS, budget_seconds // present // 10 * 10)


def plan(
    members: Sequence[Person],
    present: set[int],
    checked_in: set[int],
    *,
    total_seconds: int,
    exercise_seconds: int,
    exercise_label: str,
) -> list[Step]:
    """The meeting's steps: the exercise, then every member in order — a turn if present, a
    one-minute check-in step if absent with a check-in, nothing if absent without one."""
    here = [p for p in members if p.user_id in present]
    read = [p for p in members if p.user_id not in present and p.user_id in checked_in]
    share = turn_seconds(total_seconds - exercise_seconds - CHECKIN_SECONDS * len(read), len(here))
    steps = []
    if exercise_seconds:
        steps.append(Step(exercise_label[:120], exercise_seconds, WAIT, tag=EXERCISE))
    for person in members:
        if person.user_id in present:
            steps.append(Step(person.name[:120], share, ADVANCE, "user", person.user_id, TURN))
        elif person.user_id in checked_in:
            steps.append(
                Step(person.name[:120], CHECKIN_SECONDS, ADVANCE, "user", person.user_id, CHECKIN)
            )
    return steps


# --- finding and locking the meeting ----------------------------------------------------------
def number_now(circle: Circle, now: datetime) -> int:
    """The meeting being held (started, not ended) or else the schedule's current one."""
    running = db.session.scalar(
        select(CircleMeeting.number).where(
            CircleMeeting.circle_id == circle.id,
            CircleMeeting.started_at.is_not(None),
            CircleMeeting.ended_at.is_(None),
        )
    )
    if running is not None:
        return running
    current = schedule.current(circle, now)
    if current is None:
        raise Conflict(_("Alle Treffen dieses Circles sind vorbei."), code="wrong_phase")
    return current.number


def find(circle: Circle, number: int) -> CircleMeeting | None:
    return db.session.scalar(
        select(CircleMeeting).where(
            CircleMeeting.circle_id == circle.id, CircleMeeting.number == number
        )
    )


def _ensure(circle: Circle, number: int, now: datetime) -> CircleMeeting:
    found = find(circle, number)
    if found is not None:
        return found
    row = CircleMeeting(
        circle_id=circle.id,
        number=number,
        facilitator_id=rotating_facilitator(people(circle), number),
        total_minutes=45,
        exercise_minutes=10,
        notes="",
        notes_version=0,
        version=0,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another member's page created it at the same moment
        row = find(circle, number)
    return row


def enter(circle_id: int, actor, now: datetime) -> tuple[Circle, CircleMeeting]:
    """The circle (the actor must be an active member, else NotFound) and its meeting of now,
    locked for a change: the agenda first, then the meeting (the order an expiry takes too)."""
    circle, _row = access.require_member(circle_id, actor)
    meeting = _ensure(circle, number_now(circle, now), now)
    found = agenda.get(KIND, meeting.id)
    if found is not None:
        agenda.lock(found.id)
    return circle, lock_versioned(CircleMeeting, meeting.id)


def room(meeting: CircleMeeting) -> presence.Room:
    return presence.Room(KIND, meeting.id)


def present_ids(meeting: CircleMeeting, members: Sequence[Person]) -> set[int]:
    active = {p.user_id for p in members}
    return presence.present_members(room(meeting)) & active


def checked_in_ids(circle: Circle, number: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Membership.user_id)
            .join(CheckIn, CheckIn.membership_id == Membership.id)
            .where(
                CheckIn.circle_id == circle.id,
                CheckIn.meeting_no == number,
                Membership.status == "active",
            )
        ).all()
    )


# --- roles ----------------------------------------------------------------------------------
def may_facilitate(meeting_id: int, actor) -> bool:
    """The agenda kind's rule: the week's facilitator or timekeeper, while an active member."""
    meeting = db.session.get(CircleMeeting, meeting_id)
    if meeting is None or actor is None or actor.kind != "user":
        return False
    circle = db.session.get(Circle, meeting.circle_id)
    return access.may_see_content(circle, actor) and actor.id in (
        meeting.facilitator_id,
        meeting.timekeeper_id,
    )


def _require_facilitator(meeting: CircleMeeting, actor) -> None:
    if actor.id != meeting.facilitator_id:
        raise Forbidden(_("Das darf nur die Moderation dieser Woche."))


def set_roles(
    circle: Circle, meeting: CircleMeeting, actor, facilitator_id: int, timekeeper_id: int
) -> None:
    """The week's facilitator hands the role on and names a timekeeper (0: none)."""
    _require_facilitator(meeting, actor)
    if meeting.ended_at is not None:
        raise Conflict(_("Das Treffen ist schon beendet."), code="wrong_phase")
    members = {p.user_id for p in people(circle)}
    keeper = timekeeper_id or None
    if facilitator_id not in members or (keeper is not None and keeper not in members):
        raise InvalidInput(_("Bitte wählen Sie Mitglieder dieses Circles."))
    if keeper == facilitator_id:
        raise InvalidInput(_("Moderation und Zeitwache sollten zwei verschiedene Personen sein."))
    meeting.facilitator_id, meeting.timekeeper_id = facilitator_id, keeper


def take_over(circle: Circle, meeting: CircleMeeting, actor) -> None:
    """A present member takes the facilitation when the week's facilitator is not there."""
    members = people(circle)
    if meeting.ended_at is not None:
        raise Conflict(_("Das Treffen ist schon beendet."), code="wrong_phase")
    if meeting.facilitator_id == actor.id:
        return
    if meeting.facilitator_id in present_ids(meeting, members):
        raise Conflict(
            _("Die Moderation dieser Woche ist da. Bitten Sie sie, die Rolle zu übergeben."),
            code="facilitator_present",
        )
    meeting.facilitator_id = actor.id
    if meeting.timekeeper_id == actor.id:
        meeting.timekeeper_id = None


# --- running the meeting --------------------------------------------------------------------
def start(
    circle: Circle,
    meeting: CircleMeeting,
    actor,
    *,
    total_minutes: int,
    exercise_minutes: int,
    now: datetime,
) -> agenda.Agenda:
    """The facilitator starts the meeting: the plan is made from who is here right now."""
    _require_facilitator(meeting, actor)
    if meeting.started_at is not None:
        raise Conflict(_("Das Treffen läuft schon."), code="wrong_phase")
    low, high = TOTAL_RANGE
    if not low <= total_minutes <= high:
        raise InvalidInput(
            _("Die Dauer muss zwischen %(low)d und %(high)d Minuten liegen.", low=low, high=high),
            code="out_of_range",
        )
    if not EXERCISE_RANGE[0] <= exercise_minutes <= EXERCISE_RANGE[1]:
        raise InvalidInput(_("Die Übung dauert höchstens 30 Minuten."), code="out_of_range")
    if exercise_minutes * 2 > total_minutes:
        raise InvalidInput(_("Die Übung darf höchstens die Hälfte der Zeit einnehmen."))
    members = people(circle)
    here = present_ids(meeting, members) | {actor.id}
    focus = prompts.focus(meeting.number)
    steps = plan(
        members,
        here,
        checked_in_ids(circle, meeting.number),
        total_seconds=total_minutes * 60,
        exercise_seconds=exercise_minutes * 60,
        exercise_label=str(focus.title),
    )
    meeting.total_minutes, meeting.exercise_minutes = total_minutes, exercise_minutes
    meeting.started_at = now
    made = agenda.create_agenda(KIND, meeting.id, steps, actor=actor, now=now)
    return agenda.start(made, actor=actor, now=now)


def running_agenda(meeting: CircleMeeting) -> agenda.Agenda:
    found = agenda.get(KIND, meeting.id)
    if found is None or found.status not in (agenda.RUNNING, agenda.WAITING):
        raise Conflict(_("Das Treffen läuft gerade nicht."), code="wrong_phase")
    return found


def add_latecomer(meeting: CircleMeeting, person: Person, *, now: datetime) -> bool:
    """A member who was not here when the meeting started gets a turn at the end (once)."""
    found = agenda.get(KIND, meeting.id)
    if found is None or found.status not in (agenda.RUNNING, agenda.WAITING):
        return False
    if any(s.tag == TURN and s.holder_id == person.user_id for s in found.steps):
        return False
    shares = [s.duration_seconds for s in found.steps if s.tag == TURN]
    seconds = shares[0] if shares else MIN_TURN_SECONDS * 5
    step = Step(person.name[:120], seconds, ADVANCE, "user", person.user_id, TURN)
    agenda.append(found, step, now=now)
    return True


def save_notes(meeting: CircleMeeting, text: str, base_version: int) -> None:
    """Any member writes the meeting's notes; a save on an older version is refused, so no
    one overwrites what another member wrote meanwhile."""
    if len(text) > NOTES_MAX:
        raise InvalidInput(
            _("Die Notizen haben höchstens %(n)d Zeichen.", n=NOTES_MAX), code="too_long"
        )
    if base_version != meeting.notes_version:
        raise Conflict(
            _("Jemand hat die Notizen inzwischen geändert. Ihr Text steht noch im Feld."),
            code="conflict",
        )
    meeting.notes = text
    meeting.notes_version += 1


def mark_finished(meeting: CircleMeeting, found: agenda.Agenda, now: datetime) -> None:
    if found.status == agenda.FINISHED and meeting.ended_at is None:
        meeting.ended_at = now


def notes_by_number(circle: Circle, actor) -> dict[int, str]:
    """The notes of the circle's meetings, for an active member (else NotFound)."""
    access.require_member(circle.id, actor)
    rows = db.session.execute(
        select(CircleMeeting.number, CircleMeeting.notes).where(
            CircleMeeting.circle_id == circle.id, CircleMeeting.notes != ""
        )
    ).all()
    return dict(rows)
