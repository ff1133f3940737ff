"""A card added over the socket costs a fixed number of SQL statements, whatever the session's
size: the room's snapshot and every member's private state read the board once. Counted at 5
members / 2 cards and at 12 members / 15 cards, stand-alone and in a confidential group
(where every name is the identity in the group)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from peerlab.accounts.models import User
from peerlab.coaching import access
from peerlab.coaching.service import board, setup
from peerlab.core import presence
from peerlab.extensions import db
from peerlab.groups.service import groups as group_service
from tests.coaching.conftest import actor, quick
from tests.coaching.test_live import call, connect
from tests.groups.conftest import REAL, alias, join_by_link, settings
from tests.support.queries import counting

SMALL = {"advisers": 3, "secretary": False, "observers": 0, "cards": 2}
LARGE = {"advisers": 8, "secretary": True, "observers": 1, "cards": 15}
HYPOTHESES = 4  # index of the hypotheses phase (a card phase)


def _group(app, users, now) -> int:
    """A confidential group of all `users`, every other one under a pseudonym."""
    group = group_service.create_group(
        settings(name="Größenprobe"), creator=users[0], choice=REAL, now=now
    )
    owner = group_service.members(group)[0][0]
    for n, user in enumerate(users[1:]):
        choice = alias(f"Deckname {len(users)}-{n}") if n % 2 else REAL
        join_by_link(group, owner, user, choice, now)
    return group.id


def build(app, now, writer_id: int, *, grouped: bool, advisers, secretary, observers, cards):
    """A session of case giver, moderator, `advisers` (the first is the writer), maybe a
    secretary and observers; started, in the hypotheses, everyone present, `cards` cards
    (every third anonymous)."""
    writer = db.session.get(User, writer_id)
    others = [quick(app, name=f"Person {n}") for n in range(1 + advisers + observers + secretary)]
    giver, moderator, *rest = others
    cast_advisers = [writer, *rest[: advisers - 1]]
    rest = rest[advisers - 1 :]
    keeper = rest.pop() if secretary else None
    everyone = [moderator, giver, *cast_advisers, *rest] + ([keeper] if keeper else [])
    group_id = _group(app, everyone, now) if grouped else None
    session = setup.create_session(
        setup.SessionSetup(
            title="Größenprobe",
            starts_at=now + timedelta(minutes=5),
            case_giver=giver.id,
            moderator=moderator.id,
            advisers=tuple(u.id for u in cast_advisers),
            secretary=keeper.id if keeper else None,
            observers=tuple(u.id for u in rest),
            group_id=group_id,
        ),
        creator=moderator,
        now=now,
    )
    db.session.commit()
    lead = actor(moderator)
    session = board.lock(session.id)
    mod = access.membership(session, lead)
    board.start(session, mod, lead, now)
    for index in range(HYPOTHESES):
        board.control(session, mod, lead, "advance", now, expected_index=index)
    rows = setup.members(session)
    for n, row in enumerate(rows):
        presence.join(board.room(session), row.id, f"sid-{session.id}-{n}", now=now)
    writers = [r for r in rows if r.role == "adviser"]
    for n in range(cards):
        author = writers[n % len(writers)]
        anonymous = n % 3 == 2 and board.anonymous_possible(session, "hypotheses", author)
        board.add_card(session, author, f"Hypothese {n}", anonymous=anonymous, now=now)
    db.session.commit()
    return session.id, len(rows)


@pytest.mark.parametrize("grouped", [False, True], ids=["stand-alone", "in-a-group"])
def test_adding_a_card_costs_the_same_at_any_size(app, make_user, login, clock, grouped):
    """The whole event: lock, checks, the card, the room's snapshot, everyone's `me`, commit."""
    now = clock.now()
    writer = make_user(name="Wanda Schreiber")
    writer_id = writer.id
    sock = connect(app, login, writer)
    counts, sizes = [], []
    for size in (SMALL, LARGE):
        session_id, members = build(app, now, writer_id, grouped=grouped, **size)
        assert call(sock, "session:join", session_id=session_id)["ok"]
        db.session.remove()
        sock.get_received()
        with counting() as statements:
            ack = call(sock, "card:add", session_id=session_id, text="Neu", anonymous=False)
        assert ack["ok"] is True, ack
        assert ack["me"]["may"]["card"] is True
        received = sock.get_received()
        state = next(m["args"][0] for m in received if m["name"] == "session:state")
        assert len(state["people"]) == members
        assert len(state["cards"]) == size["cards"] + 1
        assert all(c["author"] is None for c in state["cards"] if c["anonymous"])
        counts.append(len(statements))
        sizes.append(members)
    sock.disconnect()
    assert sizes == [5, 12]
    # 17 statements stand-alone, 21 in a group (were 35/54 and 49/87 at 5/12 members).
    assert counts[0] == counts[1], counts
