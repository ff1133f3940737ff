"""Helpers for the tests of group rounds: scheduling one through the groups service, reading
the outbox, joining members to the board (as the board's join does: presence.connect)."""

from __future__ import annotations

import email
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.groups import rounds as group_rounds
from peerlab.groups.models import SPACE_KIND
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import rounds as lc_rounds

BERLIN = ZoneInfo("Europe/Berlin")
ROUND_TITLE = "Treffen zu Drohanrufen"


def actor(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


def now() -> datetime:
    return current_app.extensions["peerlab.clock"].now()


def schedule(group, user, *, title: str = ROUND_TITLE, days: int = 2, anonymous: bool = True):
    """A round of `group` scheduled by member `user`, `days` after the clock at 10:00 Berlin."""
    moment = now()
    day = (moment.astimezone(BERLIN) + timedelta(days=days)).date()
    settings = lc_rounds.RoundSettings(
        title=title,
        starts_at=datetime.combine(day, time(10, 0), tzinfo=BERLIN),
        anonymous_allowed=anonymous,
    )
    row = spaces.membership_of(SPACE_KIND, group.id, actor(user))
    rnd = group_rounds.schedule(group, row, settings, creator=user, now=moment)
    db.session.commit()
    return rnd


def place(rnd: Round, user) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(Participant.round_id == rnd.id, Participant.user_id == user.id)
    )


def join(rnd: Round, *users) -> None:
    """These members come to the board (their place becomes active, as on round:join)."""
    for user in users:
        place(rnd, user).joined_at = now()
    db.session.commit()


def mails() -> list[tuple[str, str]]:
    """(recipient, every decoded part as text) of every mail in the outbox."""
    from peerlab.notify.models import OutboxMail

    found = []
    for mail in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)):
        parts = email.message_from_bytes(mail.raw).walk()
        text = b"".join(p.get_payload(decode=True) or b"" for p in parts).decode()
        found.append((mail.to_addr, mail.subject + "\n" + text))
    return found
