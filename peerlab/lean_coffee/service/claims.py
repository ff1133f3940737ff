"""A group round's anonymous topics, claimed by the browser that holds their tokens.

The server cannot tell which anonymous topic of a group's round is whose (core.authormarks,
unlinkable mode). The author's browser sends the tokens it holds ("<topic id>:<token>" separated
by spaces) with round:join and round:sync; the topics whose token is still valid are told back to
that browser alone as its own. Once the window ended, nobody can claim them any more."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.core import authormarks
from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.lean_coffee.models import Round, Topic
from peerlab.lean_coffee.service.topics import MAX_PER_PERSON, UNLINKABLE_KIND

MAX_CLAIMS = MAX_PER_PERSON
MAX_CLAIMS_LENGTH = MAX_CLAIMS * (10 + 1 + authormarks.MAX_TOKEN_LENGTH + 1)
CLAIM = re.compile(r"([1-9][0-9]{0,9}):([A-Za-z0-9_-]{1,100})")
GONE = ("withdrawn", "removed", "merged")


def parse(value: str | None) -> dict[int, str]:
    """{topic id: token} from the browser's text; InvalidInput (nothing happens) if malformed."""
    parts = (value or "").split()
    if len(parts) > MAX_CLAIMS:
        raise InvalidInput(_("Zu viele Themen-Schlüssel."), code="bad_payload")
    claims: dict[int, str] = {}
    for part in parts:
        found = CLAIM.fullmatch(part)
        if found is None:
            raise InvalidInput(_("Ungültiger Themen-Schlüssel."), code="bad_payload")
        claims[int(found.group(1))] = found.group(2)
    return claims


def claimed_topic_ids(rnd: Round, claims: dict[int, str], *, now: datetime) -> list[int]:
    """Of the topics the browser holds tokens for: those of this group round still in play
    whose token is valid now."""
    if not claims or rnd.group_id is None:
        return []
    topic_ids = db.session.scalars(
        select(Topic.id).where(
            Topic.id.in_(list(claims)),
            Topic.round_id == rnd.id,
            Topic.is_anonymous,
            Topic.author_mark.is_(None),
            Topic.status.notin_(GONE),
        )
    ).all()
    return sorted(
        tid
        for tid in topic_ids
        if authormarks.is_unlinkable_author(UNLINKABLE_KIND, tid, claims[tid], now=now)
    )


def with_claims(me: dict, claimed: list[int]) -> dict:
    """The person's `me` with their claimed topics among `my_topic_ids`."""
    if claimed:
        me["my_topic_ids"] = sorted(set(me.get("my_topic_ids") or []) | set(claimed))
    return me
