"""The ONE place that builds what leaves the server about a round (socket payloads; pages and
exports use service/summary.py, which follows the same rule). Anonymity is enforced here: an
anonymous topic's author is never part of a payload — the row does not even hold an id, and
"which one is mine" only goes into `me`, which is sent to that person alone."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from sqlalchemy import select

from peerlab.core import timebox
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import (
    FACILITATING,
    VISIBLE_TOPIC_STATES,
    ActionItem,
    Participant,
    Round,
    Takeaway,
    Topic,
)
from peerlab.lean_coffee.service import discussion, notes, presence, rounds, topics, votes

PROTOCOL = 2  # 2: Lean Coffee moved to its own namespace /lean-coffee (docs/realtime.md)
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


def _author(topic: Topic, confidential: bool) -> dict | None:
    if topic.is_anonymous or confidential or topic.author is None:
        return None
    return {"participant_id": topic.author.id, "name": topic.author.name}


def _topic_order(topic: Topic) -> tuple:
    group = {"open": 0, "discussing": 1}.get(topic.status, 2)
    if group == 0:
        return (0, topic.queue_pos or 0, topic.id)
    return (group, topic.discussed_order or 10**6, topic.id)


def topic_list(rnd: Round) -> list[dict]:
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
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.round_id == rnd.id).order_by(ActionItem.id)
    ):
        actions.setdefault(item.topic_id, []).append(action_payload(item, rnd.confidential))
    return [
        {
            "id": t.id,
            "title": t.title,
            "detail": t.detail,
            "anonymous": t.is_anonymous,
            "author": _author(t, rnd.confidential),
            "status": t.status,
            "votes": None if hidden else counted.get(t.id, 0),
            "rank": None if hidden or t.status != "open" else t.queue_pos,
            "discussed_order": t.discussed_order,
            "takeaways": takeaways.get(t.id, []),
            "actions": actions.get(t.id, []),
        }
        for t in sorted(rows, key=_topic_order)
    ]


def action_payload(item: ActionItem, confidential: bool = False) -> dict:
    owner = item.owner.name if item.owner is not None else item.owner_name
    return {
        "id": item.id,
        "what": item.what,
        "owner": None if confidential else (owner or None),
        "due_on": item.due_on.isoformat() if item.due_on else None,
    }


def people(rnd: Round, here: dict) -> list[dict]:
    if rnd.confidential:
        return []
    rows = db.session.scalars(
        select(Participant)
        .where(
            Participant.round_id == rnd.id,
            Participant.guest_id.is_(None),
            Participant.removed_at.is_(None),
        )
        .order_by(Participant.id)
    ).all()
    present_ids = set(here["people"])
    return [
        {"participant_id": p.id, "name": p.name, "role": p.role, "present": p.id in present_ids}
        for p in rows
    ]


def guests(rnd: Round) -> list[dict]:
    """The round's guests (not removed) with their display names: for facilitators only, in
    their private `me` — broadcasts count guests, they never name them. In a confidential
    round names stay out here too (`name` is null; the board numbers them)."""
    rows = db.session.scalars(
        select(Participant)
        .where(
            Participant.round_id == rnd.id,
            Participant.guest_id.is_not(None),
            Participant.removed_at.is_(None),
        )
        .order_by(Participant.id)
    ).all()
    here = presence.present_ids(rnd)
    return [
        {
            "participant_id": p.id,
            "name": None if rnd.confidential else p.name,
            "present": p.id in here,
        }
        for p in rows
    ]


def presence_payload(rnd: Round) -> dict:
    here = presence.present(rnd)
    if rnd.confidential:
        return {"people": [], "guests": 0, "total": here["total"]}
    return here


def roman_payload(rnd: Round) -> dict | None:
    from peerlab.lean_coffee.models import RomanVote

    vote = db.session.scalar(
        select(RomanVote).where(RomanVote.round_id == rnd.id).order_by(RomanVote.id.desc()).limit(1)
    )
    if vote is None:
        return None
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
        "thumbs": discussion.thumbs_given(vote),
        "present": presence.present(rnd)["total"],
        "result": result,
    }


def timer_payload(rnd: Round, now: datetime) -> dict:
    box = db.session.get(timebox.Timebox, rnd.timebox_id) if rnd.timebox_id else None
    data = timebox.snapshot(box, now=now)
    data.setdefault("extensions", 0)
    data["topic_id"] = rnd.current_topic_id
    return data


def snapshot(rnd: Round, now: datetime) -> dict:
    """The full public state: identical for everyone in the round."""
    here = presence_payload(rnd)
    closing = []
    if rnd.phase in ("wrapup", "closed"):
        closing = list(
            db.session.scalars(
                select(Participant.closing_text)
                .where(Participant.round_id == rnd.id, Participant.closing_text.is_not(None))
                .order_by(Participant.id)
            ).all()
        )
    return {
        "protocol": PROTOCOL,
        "round_id": rnd.id,
        "version": rnd.version,
        "server_now": now.isoformat(),
        "round": round_info(rnd),
        "people": people(rnd, presence.present(rnd)),
        "presence": here,
        "topics": topic_list(rnd),
        "current_topic_id": rnd.current_topic_id,
        "timer": timer_payload(rnd, now),
        "roman": roman_payload(rnd),
        "voting": votes.progress(rnd),
        "closing": closing,
    }


def join_url(rnd: Round, participant: Participant) -> str | None:
    if participant.role not in FACILITATING:
        return None
    token = access.link_token(rnd)
    if token is None or not has_request_context():
        return None
    return url_for("lean_coffee.join", round_id=rnd.id, token=token, _external=True)


def me(rnd: Round, participant: Participant) -> dict:
    """What only this person may know: own votes, own (anonymous) topics, own thumb; for
    facilitators also the guest link and the guests' names (to remove one)."""
    db.session.refresh(participant)
    my_takeaways, my_actions = notes.own_ids(rnd, participant)
    return {
        "participant_id": participant.id,
        "name": participant.name,
        "role": participant.role,
        "is_guest": participant.is_guest,
        "vote_budget": rnd.vote_budget,
        "votes_used": participant.votes_used,
        "votes_left": max(0, rnd.vote_budget - participant.votes_used),
        "my_votes": {str(k): v for k, v in votes.my_votes(rnd, participant).items()},
        "my_topic_ids": topics.own_topic_ids(rnd, participant),
        "my_thumb": discussion.my_thumb(rnd, participant),
        "my_closing": participant.closing_text,
        "my_takeaway_ids": my_takeaways,
        "my_action_ids": my_actions,
        "join_url": join_url(rnd, participant),
        "guests": guests(rnd) if participant.role in FACILITATING else None,
    }


def private(rnd: Round, participant: Participant) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, "me": me(rnd, participant)}


def vote_progress(rnd: Round) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, **votes.progress(rnd)}


def presence_changed(rnd: Round) -> dict:
    return {"round_id": rnd.id, "version": rnd.version, "presence": presence_payload(rnd)}


def private_room(participant: Participant) -> str:
    return f"user:{participant.user_id}" if participant.user_id else f"guest:{participant.guest_id}"
