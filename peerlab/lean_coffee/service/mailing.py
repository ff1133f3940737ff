"""The summary by mail to every participant with an account (guests leave no address) who
took part (joined the round) and may still see it under the round's policy."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.core import spaces
from peerlab.core.errors import NotFound, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee.access import SPACE_KIND
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import summary as summary_service
from peerlab.notify import outbox


def mail_summary(rnd: Round, *, now: datetime) -> int:
    """Queue one mail per participant (same transaction); returns how many."""
    from peerlab.core.urls import absolute
    from peerlab.lean_coffee.service.rounds import SUBJECT_KIND as rnd_kind

    if summary_service.page_only(rnd):  # a group's round: the page in the group only
        raise NotFound()
    if rnd.phase not in ("wrapup", "closed"):
        raise WrongPhase(_("Die Zusammenfassung kann nach der Diskussion verschickt werden."))
    result = summary_service.build(rnd, now=now)
    url = absolute("lean_coffee.summary", round_id=rnd.id)
    people = db.session.scalars(
        select(Participant).where(
            Participant.round_id == rnd.id,
            Participant.user_id.is_not(None),
            Participant.removed_at.is_(None),
            # invited people who never joined did not take part: no summary (as summary.py counts)
            Participant.joined_at.is_not(None),
        )
    ).all()
    sent = 0
    for participant in people:
        user = participant.user
        if user is None or not user.is_active:
            continue
        actor = Actor("user", user.id, user.display_name, user=user)
        if not spaces.can_view(SPACE_KIND, rnd, actor):
            continue
        sent += 1
        outbox.enqueue_template(
            "lean_coffee_summary",
            to=user.email,
            language=user.language,
            now=now,
            user_id=user.id,
            about=(rnd_kind, rnd.id),
            summary=result,
            url=url,
        )
    rnd.summary_mailed_at = now
    db.session.flush()
    return sent
