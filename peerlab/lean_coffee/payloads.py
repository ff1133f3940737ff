"""The ONE place that builds what leaves the server about a round (socket payloads; pages and
exports use service/summary.py, which follows the same rule). Anonymity is enforced here: an
anonymous topic's author is never part of a payload — the row does not even hold an id, and
"which one is mine" only goes into `me`, which is sent to that person alone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from sqlalchemy import func, select

from peerlab.core import timebox
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import (
    FACILITATING,
    VISIBLE_TOPIC_STATES,
    ActionItem,
    Participant,
    RomanVote,
    Round,
    Takeaway,
    Thumb,
    Topic,
)
from peerlab.lean_coffee.service import notes, own_state, presence, rounds, votes
from peerlab.lean_coffee.service.ballot import Ballot, RoundRow, Voter

# 2: Lean Coffee moved to its own namespace /lean-coffee. 3: names are plain and a guest is
# flagged (`guest`, `owner_guest`); the client adds the guest marker in its language
# (docs/realtime.md).
PROTOCOL = 3
HIDDEN_COUNT_PHASES = ("collect", "vote")


def _path(path: str) -> str:
    """An app path that also works outside a request (jobs broadcast snapshots too)."""
    if has_request_context():
        return request.script_root + path
    return path


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _german_hint(phase: str) -> str:
    """Broadcasts are the same for everyone, so their text must not depend on who caused the
    change: the hint is always the German source; clients show their own translation by
    `phase` (the board page gets `phase_hints` in the reader's language)."""
    with force_locale("de"):
        return rounds.phase_hint(phase)


def round_info(rnd: Round) -> dict:
    return {
        "id": rnd.id,
        "title": rnd.title,
        "description": rnd.description,
        "starts_at": _iso(rnd.starts_at),
        "planned_minutes": rnd.planned_minutes,
        "video_url": rnd.video_url or None,
        "phase": rnd.phase,
        "phase_hint": _german_hint(rnd.phase),
        "cancelled": rnd.cancelled_at is not None,
        "access": rnd.access,
        "confidential": rnd.confidential,
        "settings": {
            "vote_budget": rnd.vote_budget,
            "multiple_dots": rnd.multiple_dots,
            "timebox_seconds": rnd.timebox_seconds,
            "extension_percent": rnd.extension_percent,
            "min_extension_seconds": rnd.min_extension_seconds,
            "anonymous_allowed": rnd.anonymous_allowed,
            "roman_vote_seconds": current_app.config.get("ROMAN_VOTE_SECONDS", 30),
        },
        "summary_url": _path(f"/runden/{rnd.id}/zusammenfassung"),
    }


def _author(topic: Topic, names: dict[int, str] | None) -> dict | None:
    """A named topic's author; in a group's round by their identity in the group."""
    if topic.is_anonymous or topic.author is None:
        return None
    author = topic.author
    name = access.shown_name(author, names)
    return {"participant_id": author.id, "name": name, "guest": author.is_guest}


def _topic_order(topic: Topic) -> tuple:
    group = {"open": 0, "discussing": 1}.get(topic.status, 2)
    if group == 0:
        return (0, topic.queue_pos or 0, topic.id)
    return (group, topic.discussed_order or 10**6, topic.id)


def topic_list(rnd: Round) -> list[dict]:
    names = access.group_names(rnd)
    rows = db.session.scalars(
        select(Topic).where(Topic.round_id == rnd.id, Topic.status.in_(VISIBLE_TOPIC_STATES))
    ).all()
    hidden = rnd.phase in HIDDEN_COUNT_PHASES
    counted = {} if hidden else votes.totals(rnd)
    takeaways: dict[int, list[dict]] = {}
    for item in db.session.scalars(
        select(Takeaway).where(Takeaway.round_id == rnd.id).order_by(Takeaway.id)
    ):
        takeaways.setdefault(item.topic_id, []).append({"id": item.id, "text": item.text})
    actions: dict[int, list[dict]] = {}
    named_guests = notes.guests_named_by_themselves(rows)
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.round_id == rnd.id).order_by(ActionItem.id)
    ):
        actions.setdefault(item.topic_id, []).append(action_payload(item, names, named_guests))
    return [
        {
            "id": t.id,
            "title": t.title,
            "detail": t.detail,
            "anonymous": t.is_anonymous,
            "author": _author(t, names),
            "status": t.status,
            "votes": None if hidden else counted.get(t.id, 0),
            "rank": None if hidden or t.status != "open" else t.queue_pos,
            "discussed_order": t.discussed_order,
            "takeaways": takeaways.get(t.id, []),
            "actions": actions.get(t.id, []),
        }
        for t in sorted(rows, key=_topic_order)
    ]


def action_payload(
    item: ActionItem,
    names: dict[int, str] | None = None,
    named_guests: Collection[int] = frozenset(),
) -> dict:
    """`owner`: the plain name or null; `owner_guest`: the owner is a guest (with a null
    `owner` the board shows only the guest marker). `names`: a group's round names the owner
    by their identity in the group (access.group_names)."""
    owner = notes.owner_of(item, named_guests, names)
    return {
        "id": item.id,
        "what": item.what,
        "owner": owner.name,
        "owner_guest": owner.guest,
        "due_on": item.due_on.isoformat() if item.due_on else None,
    }


def people(rnd: Round, roster: presence.Roster) -> list[dict]:
    names = access.group_names(rnd)
    if names is not None:  # a group's round: identities in the group, presence only counted
        return [
            {
                "participant_id": p.id,
                "name": access.shown_name(p, names),
                "role": p.role,
                "present": None,
            }
            for p in roster.active
            if p.guest_id is None
        ]
    return [
        {"participant_id": p.id, "name": p.name, "role": p.role, "present": p.id in roster.here}
        for p in roster.active
        if p.guest_id is None
    ]


def guests(rnd: Round, roster: presence.Roster | None = None) -> list[dict]:
    """The round's guests (not removed) with their display names: for facilitators only, in
    their private `me` — broadcasts count guests, they never name them. In a confidential
    round names stay out here too (`name` is null; the board numbers them)."""
    roster = roster or presence.roster(rnd)
    return guest_entries(
        rnd,
        [
            (p.id, p.display_name, p.id in roster.here)
            for p in roster.active
            if p.guest_id is not None
        ],
    )


def guest_entries(rnd: Round | RoundRow, rows: list[tuple[int, str, bool]]) -> list[dict]:
    """`guests` from rows of (participant id, chosen name, present)."""
    return [
        {
            "participant_id": pid,
            # the guest list itself says "guest": the chosen name without the marker
            "name": None if rnd.confidential else name,
            "present": here,
        }
        for pid, name, here in rows
    ]


def presence_payload(rnd: Round, roster: presence.Roster | None = None) -> dict:
    here = (roster or presence.roster(rnd)).summary()
    if rnd.confidential:
        return {"people": [], "guests": 0, "total": here["total"]}
    return here


def roman_payload(rnd: Round, roster: presence.Roster | None = None) -> dict | None:
    thumbs = (
        select(func.count(Thumb.id)).where(Thumb.roman_vote_id == RomanVote.id).scalar_subquery()
    )
    row = db.session.execute(
        select(RomanVote, thumbs)
        .where(RomanVote.round_id == rnd.id)
        .order_by(RomanVote.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    vote, given = row
    is_open = vote.closed_at is None
    result = (
        None
        if is_open
        else {
            "up": vote.up or 0,
            "side": vote.side or 0,
            "down": vote.down or 0,
            "outcome": vote.outcome,
            "overridden": vote.overridden,
            "extension_seconds": vote.extension_seconds,
        }
    )
    return {
        "id": vote.id,
        "topic_id": vote.topic_id,
        "open": is_open,
        "closes_at": _iso(vote.closes_at),
        "thumbs": int(given or 0),
        "present": (roster or presence.roster(rnd)).count,
        "result": result,
    }


def timer_payload(rnd: Round, now: datetime) -> dict:
    box = db.session.get(timebox.Timebox, rnd.timebox_id) if rnd.timebox_id else None
    data = timebox.snapshot(box, now=now)
    data.setdefault("extensions", 0)
    data["topic_id"] = rnd.current_topic_id
    return data


def snapshot(rnd: Round, now: datetime, roster: presence.Roster | None = None) -> dict:
    """The full public state: identical for everyone in the round. Its number of queries does
    not grow with the round (participants and presence come in one query, the roster)."""
    roster = roster or presence.roster(rnd)
    closing = []
    if rnd.phase in ("wrapup", "closed"):
        closing = [p.closing_text for p in roster.everyone if p.closing_text is not None]
    return {
        "protocol": PROTOCOL,
        "round_id": rnd.id,
        "version": rnd.version,
        "server_now": now.isoformat(),
        "round": round_info(rnd),
        "people": people(rnd, roster),
        "presence": presence_payload(rnd, roster),
        "topics": topic_list(rnd),
        "current_topic_id": rnd.current_topic_id,
        "timer": timer_payload(rnd, now),
        "roman": roman_payload(rnd, roster),
        "voting": votes.progress(rnd),
        "closing": closing,
    }


def join_url(rnd: Round | RoundRow, participant: Participant | Voter) -> str | None:
    if participant.role not in FACILITATING:
        return None
    token = access.link_token(rnd)
    if token is None or not has_request_context():
        return None
    return url_for("lean_coffee.join", round_id=rnd.id, token=token, _external=True)


def me(rnd: Round, participant: Participant, roster: presence.Roster | None = None) -> dict:
    """What only this person may know: own votes, own (anonymous) topics, own thumb; for
    facilitators also the guest link and the guests' names (to remove one)."""
    return private_states(rnd, [participant.id], roster)[participant.id]


def private_states(
    rnd: Round, participant_ids: list[int], roster: presence.Roster | None = None
) -> dict[int, dict]:
    """`me` for several participants at once (after a merge, a removal, a guest's arrival):
    a fixed number of queries however many people and topics the round has."""
    roster = roster or presence.roster(rnd)  # fresh rows: counters change by UPDATE
    members = roster.by_id()
    wanted = [members[pid] for pid in sorted(set(participant_ids)) if pid in members]
    if not wanted:
        return {}
    return _states(rnd, wanted, roster)


def _states(
    rnd: Round, wanted: list[Participant], roster: presence.Roster | None
) -> dict[int, dict]:
    own = own_state.load(rnd.id, [p.id for p in wanted])
    names = access.group_names(rnd)
    guest_list = None
    if roster is not None and any(p.role in FACILITATING for p in wanted):
        guest_list = guests(rnd, roster)
    return {p.id: _state(rnd, p, own, guest_list, names) for p in wanted}


def _state(
    rnd: Round | RoundRow,
    p: Participant | Voter,
    own: own_state.Own,
    guest_list: list[dict] | None,
    names: dict[int, str] | None,
) -> dict:
    return {
        "participant_id": p.id,
        "name": access.shown_name(p, names),
        "role": p.role,
        "is_guest": p.is_guest,
        "vote_budget": rnd.vote_budget,
        "votes_used": p.votes_used,
        "votes_left": max(0, rnd.vote_budget - p.votes_used),
        "my_votes": {str(k): v for k, v in own.votes.get(p.id, {}).items()},
        "my_topic_ids": own.topic_ids.get(p.id, []),
        "my_thumb": own.thumbs.get(p.id),
        "my_closing": p.closing_text,
        "my_takeaway_ids": own.takeaway_ids.get(p.id, []),
        "my_action_ids": own.action_ids.get(p.id, []),
        "join_url": join_url(rnd, p),
        "guests": guest_list if p.role in FACILITATING else None,
    }


def after_vote(ballot: Ballot) -> tuple[dict, dict]:
    """After a vote or a retraction: the room's `vote:progress` and the voter's `me`, from one
    statement (a facilitator's `me` also lists the guests: one more)."""
    rnd, voter = ballot.round, ballot.voter
    own = own_state.load(rnd.id, [voter.id], with_progress=True)
    guest_list = None
    if voter.role in FACILITATING:
        guest_list = guest_entries(rnd, presence.guest_rows(rnd.id))
    progress = {"round_id": rnd.id, "version": rnd.version, **(own.progress or {})}
    return progress, _state(rnd, voter, own, guest_list, access.group_names(rnd))


def private(rnd: Round, participant: Participant) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, "me": me(rnd, participant)}


def vote_progress(rnd: Round) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, **votes.progress(rnd)}


def presence_changed(rnd: Round, roster: presence.Roster | None = None) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, "presence": presence_payload(rnd, roster)}


def private_room(participant: Participant | Voter) -> str:
    return f"user:{participant.user_id}" if participant.user_id else f"guest:{participant.guest_id}"
