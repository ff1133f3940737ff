"""What the organizer sees per date: who was invited, who answered and how.

Formats include the partial `ical/_responses.html` on their organizer pages:
    {% with summary=ical_responses("lean_coffee.round", round.id) %}
      {% include "ical/_responses.html" %}{% endwith %}
(`ical_responses` is a template global registered by this package; `summary()` is the same in
Python for routes that pass it explicitly.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from peerlab.accounts.models import User
from peerlab.ical import invitations, service

ORDER = ("ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION")


@dataclass(frozen=True)
class ResponseRow:
    name: str
    partstat: str  # ACCEPTED | TENTATIVE | DECLINED | NEEDS-ACTION | CANCELLED
    invited_at: datetime
    responded_at: datetime | None


@dataclass
class ResponseSummary:
    kind: str
    subject_id: int
    rows: list[ResponseRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def invited(self) -> int:
        return sum(1 for row in self.rows if row.partstat != "CANCELLED")

    @property
    def answered(self) -> int:
        return sum(self.counts.get(p, 0) for p in ("ACCEPTED", "TENTATIVE", "DECLINED"))


def summary(kind: str, subject_id: int) -> ResponseSummary:
    """Invited people of one date with their answers, accepted first, then by name."""
    result = ResponseSummary(
        kind=kind, subject_id=subject_id, counts=dict.fromkeys((*ORDER, "CANCELLED"), 0)
    )
    rows = []
    for inv in invitations.responses(kind, subject_id):
        partstat = "CANCELLED" if inv.cancelled_at is not None else inv.partstat
        result.counts[partstat] = result.counts.get(partstat, 0) + 1
        rows.append(ResponseRow(inv.user.display_name, partstat, inv.invited_at, inv.responded_at))
    rank = {p: i for i, p in enumerate((*ORDER, "CANCELLED"))}
    result.rows = sorted(rows, key=lambda r: (rank.get(r.partstat, 9), r.name.lower()))
    return result


@dataclass(frozen=True)
class OwnInvitation:
    invitation_id: int
    title: str
    starts_at: datetime
    partstat: str
    is_series: bool


def own_invitations(user: User, now: datetime) -> list[OwnInvitation]:
    """The user's invitations to dates that are not over or cancelled, soonest first."""
    out = []
    mine = invitations.user_invitations(user)
    events = service.current_events([(inv.kind, inv.subject_id) for inv in mine])
    for inv in mine:
        event = events.get((inv.kind, inv.subject_id))
        if event is None or not service.is_open(event, now):
            continue
        out.append(
            OwnInvitation(inv.id, event.summary, event.starts_at, inv.partstat, bool(event.rrule))
        )
    return sorted(out, key=lambda item: item.starts_at)


@dataclass(frozen=True)
class NextDate:
    title: str
    starts_at: datetime
    ends_at: datetime
    url: str | None
    is_series: bool


def next_dates(user: User, now: datetime, limit: int = 10) -> list[NextDate]:
    """The user's next `limit` dates from every calendar source (what the personal feed holds):
    not cancelled, not over, not ended early by its format (a round closed before its planned
    end); a series contributes each coming occurrence, moved or skipped weeks as the calendar
    shows them."""
    out: list[NextDate] = []
    for event in service.personal_events(user, now):
        if event.ended:
            continue
        length = event.ends_at - event.starts_at
        moved = {o.recurrence_id.astimezone(UTC): o for o in event.overrides if o.recurrence_id}
        skipped = {d.astimezone(UTC) for d in event.exdates}
        taken = 0
        for start in service.occurrences(event):
            if start in skipped:
                continue
            one = moved.get(start)
            begins = one.starts_at if one else start
            ends = one.ends_at if one else start + length
            if ends <= now or (one is not None and one.status == "CANCELLED"):
                continue
            out.append(NextDate(event.summary, begins, ends, event.url, bool(event.rrule)))
            taken += 1
            if taken >= limit:  # occurrences come in order: later ones cannot be among the next
                break
    return sorted(out, key=lambda item: item.starts_at)[:limit]
