"""What Lean Coffee contributes elsewhere: dashboard, data export and account deletion."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.core.joining import JoinTarget
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.access import SPACE_KIND
from peerlab.lean_coffee.models import (
    ActionItem,
    Participant,
    Round,
    Takeaway,
    Topic,
    Vote,
)
from peerlab.pages.dashboard import DATES_SHOWN, DashboardPart, DateItem, TodoItem

BERLIN = ZoneInfo("Europe/Berlin")


def user_actor(user: User) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


def dashboard(user: User, now: datetime) -> DashboardPart:
    """My next rounds and the action items I own (in rounds I may still see)."""
    from peerlab.lean_coffee import calendar_source

    part = DashboardPart()
    actor = user_actor(user)
    rows = db.session.scalars(
        spaces.visible(
            SPACE_KIND,
            select(Round)
            .where(
                Round.cancelled_at.is_(None),
                Round.phase != "closed",
                Round.starts_at >= now - timedelta(hours=12),
            )
            .order_by(Round.starts_at, Round.id)
            .limit(DATES_SHOWN + 1),  # the dashboard shows the first DATES_SHOWN of all
            actor,
        )
    ).all()
    part.more_dates = len(rows) > DATES_SHOWN
    for rnd in rows[:DATES_SHOWN]:
        part.dates.append(
            DateItem(
                title=rnd.title,
                starts_at=rnd.starts_at,
                url=url_for("lean_coffee.show_round", round_id=rnd.id),
                format_label=_("Lean Coffee"),
                ics_url=calendar_source.download_url(rnd),
                kind=calendar_source.KIND,
                subject_id=rnd.id,
            )
        )
    items = db.session.execute(
        spaces.visible(
            SPACE_KIND,
            select(ActionItem, Round)
            .join(Round, Round.id == ActionItem.round_id)
            .join(Participant, Participant.id == ActionItem.owner_participant_id)
            .where(Participant.user_id == user.id, ActionItem.done_at.is_(None))
            .order_by(ActionItem.due_on, ActionItem.id),
            actor,
        )
    ).all()
    for item, rnd in items:
        due = datetime.combine(item.due_on, time(18, 0), tzinfo=BERLIN) if item.due_on else None
        part.todos.append(
            TodoItem(
                text=item.what,
                due=due,
                label=rnd.title,
                url=url_for("lean_coffee.summary", round_id=rnd.id),
                done_url=url_for("lean_coffee.action_done", action_id=item.id),
                all_day=True,
            )
        )
    return part


def join_target(round_id: int, user: User) -> JoinTarget | None:
    """Where `user` joins round `round_id` ("Jetzt teilnehmen"): the board, for people the
    round's access rule lets in; None for anyone else (core.joining decides the time)."""
    rnd = db.session.get(Round, round_id)
    if rnd is None or not access.access_for(rnd, user_actor(user)).may_view:
        return None
    return JoinTarget(
        url=url_for("lean_coffee.show_round", round_id=rnd.id),
        starts_at=rnd.starts_at,
        ends_at=rnd.starts_at + timedelta(minutes=rnd.planned_minutes),
        closed=rnd.phase == "closed",
        cancelled=rnd.cancelled_at is not None,
    )


def export_user(user: User) -> dict:
    """Everything Lean Coffee holds about `user` (their anonymous topics included: their own;
    in rounds of a confidential group only while a member, and without anonymous topics)."""
    from peerlab.lean_coffee.service.topics import is_author

    result = []
    for participant in db.session.scalars(
        select(Participant).where(Participant.user_id == user.id)
    ).all():
        rnd = db.session.get(Round, participant.round_id)
        grouped = rnd.group_id is not None
        if grouped and not access.access_for(rnd, user_actor(user)).may_view:
            continue  # a round of a group the person is no member of any more: nothing
        topics = [
            t
            for t in db.session.scalars(select(Topic).where(Topic.round_id == rnd.id)).all()
            # in a group's round anonymous topics are in nobody's export, not even the author's
            if is_author(t, participant) and not (grouped and t.is_anonymous)
        ]
        result.append(
            {
                "round": rnd.title,
                "starts_at": rnd.starts_at.isoformat(),
                "role": participant.role,
                "votes_used": participant.votes_used,
                "closing_takeaway": participant.closing_text,
                "topics": [
                    {
                        "title": t.title,
                        "detail": t.detail,
                        "anonymous": t.is_anonymous,
                        "status": t.status,
                    }
                    for t in topics
                ],
                "takeaways": list(
                    db.session.scalars(
                        select(Takeaway.text).where(Takeaway.participant_id == participant.id)
                    )
                ),
                "action_items_written": list(
                    db.session.scalars(
                        select(ActionItem.what).where(ActionItem.participant_id == participant.id)
                    )
                ),
                "action_items_owned": list(
                    db.session.scalars(
                        select(ActionItem.what).where(
                            ActionItem.owner_participant_id == participant.id
                        )
                    )
                ),
            }
        )
    return {"rounds": result}


def erase_user(user: User, keep_content: bool, now: datetime) -> None:
    """Votes and presence always go; with keep_content the topics and notes stay without a
    name ("former member"), otherwise they are deleted too."""
    from peerlab.lean_coffee.service.topics import is_author

    for participant in db.session.scalars(
        select(Participant).where(Participant.user_id == user.id)
    ).all():
        db.session.execute(delete(Vote).where(Vote.participant_id == participant.id))
        own = [
            t
            for t in db.session.scalars(
                select(Topic).where(Topic.round_id == participant.round_id)
            ).all()
            if is_author(t, participant)
        ]
        for topic in own:  # nobody can recognise these as theirs any more
            topic.author_mark = topic.author_nonce = None
        if not keep_content:
            own = [t.id for t in own]
            if own:
                db.session.execute(delete(Topic).where(Topic.id.in_(own)))
            db.session.execute(delete(Takeaway).where(Takeaway.participant_id == participant.id))
            db.session.execute(
                delete(ActionItem).where(ActionItem.participant_id == participant.id)
            )
        # the membership row; its Lean Coffee columns go along (foreign-key cascade)
        db.session.execute(delete(spaces.Membership).where(spaces.Membership.id == participant.id))
    db.session.flush()
