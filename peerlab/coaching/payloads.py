"""What the live board receives (protocol: docs/coaching.md). A broadcast is the same for
everyone in the session and carries no words of one language (phases and roles are keys);
the case giver's own line travels only in their private `me`. An anonymous card's author is
never sent, to anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peerlab.coaching import grouped, rules
from peerlab.coaching.models import CASE_GIVER, CoachingSession
from peerlab.coaching.service import board, setup
from peerlab.core import agenda, presence
from peerlab.core.spaces import Membership

PROTOCOL = 1


def identity(session: CoachingSession, row: Membership) -> str:
    """The name a participant shows in this session (people list, named cards). Stand-alone:
    the account's name; in a confidential group: the person's identity in that group."""
    if session.group_id is not None:
        return grouped.name_in_group(session, row)
    return setup.name_of(row)


def identities(session: CoachingSession, rows: list[Membership]) -> dict[int, str]:
    """`identity` of many participants (per membership id); stand-alone in one query."""
    if session.group_id is not None:
        return grouped.names_in_group(session, rows)
    return setup.names_of(rows)


@dataclass(frozen=True)
class Board:
    """What the room's snapshot and every member's `me` share, read once per broadcast: a
    broadcast costs the same number of queries whatever the number of members and cards."""

    rows: list[Membership]  # the active members, in the people list's order
    run: agenda.Agenda | None
    phase: str | None
    writers: frozenset[int]  # who may add cards now (membership ids)
    anonymity_open: bool  # anonymous cards allowed by session and group, a phase current


def read(session: CoachingSession) -> Board:
    rows = setup.members(session)
    run = board.agenda_of(session)
    phase = board.phase_of(run)
    return Board(
        rows=rows,
        run=run,
        phase=phase,
        writers=board.card_writers_in(session, phase, rows),
        anonymity_open=board.anonymity_open(session, phase),
    )


def snapshot(session: CoachingSession, now: datetime, view: Board | None = None) -> dict:
    view = view or read(session)
    rows, run, phase = view.rows, view.run, view.phase
    names = identities(session, rows)
    here = presence.present_members(board.room(session))
    steps = setup.phases(session)
    return {
        "protocol": PROTOCOL,
        "session_id": session.id,
        "version": session.version,
        "server_now": now.isoformat(),
        "session": {
            "id": session.id,
            "title": session.title,
            "starts_at": session.starts_at.isoformat(),
            "planned_end": setup.planned_end(session, steps).isoformat(),
            "auto_advance": session.auto_advance,
            "case_giver_may_propose": session.case_giver_may_propose,
            "anonymous_allowed": session.anonymous_allowed,
        },
        "people": [
            {"membership_id": r.id, "name": names[r.id], "role": r.role, "present": r.id in here}
            for r in rows
        ],
        "deputy_id": session.deputy_id,
        "agenda": (
            agenda.snapshot(run, now=now)
            if run is not None
            else {
                "status": "idle",
                "items": [
                    {"index": p.position, "label": p.key, "duration_seconds": p.minutes * 60}
                    for p in steps
                ],
                "current_index": None,
                "current_label": None,
                "timer": None,
            }
        ),
        "phase": phase,
        "writers": rules.writers_now(phase, case_giver_may_propose=session.case_giver_may_propose),
        "key_question": session.key_question,
        "cards": [
            {
                "id": c.id,
                "phase": c.phase,
                "text": c.text,
                "anonymous": c.author_id is None,
                "author": (
                    {"membership_id": c.author_id, "name": names.get(c.author_id, "")}
                    if c.author_id is not None
                    else None
                ),
                "marked": c.marked,
            }
            for c in board.cards(session)
        ],
        "notes": session.notes,
    }


def me(session: CoachingSession, row: Membership, view: Board | None = None) -> dict:
    view = view or read(session)
    phase = view.phase
    flags = {
        action: rules.may(
            action, row.role, phase, case_giver_may_propose=session.case_giver_may_propose
        )
        for action in ("card", "mark", "key", "notes", "try", "facilitate")
    }
    return {
        "membership_id": row.id,
        "role": row.role,
        "may": flags,
        "anonymous_possible": (
            flags["card"] and view.anonymity_open and board.anonymous_for(row, view.writers)
        ),
        "is_deputy": session.deputy_id == row.id,
        "try_line": session.try_line if row.role == CASE_GIVER else None,
    }
