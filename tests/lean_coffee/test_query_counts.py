"""A round's snapshot and a change's broadcast cost a fixed number of SQL statements, whatever
the round's size: counted at 3 people / 3 topics and at 12 people / 20 topics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.lean_coffee import events, payloads
from peerlab.lean_coffee.models import Participant, Round, Topic
from peerlab.lean_coffee.service import discussion, notes, presence, rounds, topics, votes
from tests.lean_coffee.conftest import quick_user
from tests.support.queries import counting

SMALL = {"people": 3, "topics": 3, "guests": 1}
LARGE = {"people": 12, "topics": 20, "guests": 3}


def build(
    orga_id, now, *, people: int, topics: int, guests: int, phase: str = "vote", member_id=None
) -> int:
    """A round of `people` (the facilitator and `guests` guests among them, and the user
    `member_id` if given), all present, with `topics` topics (every other one anonymous);
    everyone put a dot on the first two."""
    orga = db.session.get(User, orga_id)
    users = [quick_user(now, name=f"Person {i}") for i in range(people - 1 - guests)]
    if member_id is not None:
        users[0] = db.session.get(User, member_id)
    settings = rounds.RoundSettings(
        title="Größenprobe", starts_at=now + timedelta(hours=1), access="link"
    )
    rnd = rounds.create_round(settings, creator=orga, invitees=users, now=now)
    members = list(
        db.session.scalars(
            select(Participant).where(Participant.round_id == rnd.id).order_by(Participant.id)
        )
    )
    for n in range(guests):
        guest, _secret = rounds.create_guest(rnd, f"Gast {n}", now=now)
        members.append(rounds.ensure_participant(rnd, guest=guest, now=now))
    for n, member in enumerate(members):
        presence.connect(rnd, member, f"sid-{rnd.id}-{n}", now=now)
    made = [
        topics_add(rnd, members[n % len(members)], n, now)
        for n in range(topics)  # authors take turns
    ]
    rounds.advance_phase(rnd, "vote", now=now)
    for member in members:
        votes.cast_vote(rnd, member, made[0].id)
        votes.cast_vote(rnd, member, made[1].id)
    if phase == "discuss":
        rounds.advance_phase(rnd, "discuss", now=now)
        for n, member in enumerate(members[: min(len(members), topics)]):
            current = discussion.current_topic(rnd)
            notes.add_takeaway(rnd, member, current.id, f"Erkenntnis {n}", now=now)
            notes.add_action(
                rnd, member, current.id, f"Aufgabe {n}", owner_participant_id=member.id, now=now
            )
            if n < topics - 1:
                discussion.next_topic(rnd, now=now)
        discussion.open_roman_vote(rnd, now=now, seconds=30)
        for member in members[:-1]:
            discussion.give_thumb(rnd, member, "up", now=now)
    db.session.commit()
    return rnd.id


def topics_add(rnd, author, n, now):
    return topics.add_topic(rnd, author, f"Thema {n}", anonymous=n % 2 == 1, now=now)


def fresh(round_id: int) -> Round:
    """Start each count from an empty session, as a new socket event does."""
    db.session.remove()
    return db.session.get(Round, round_id)


def snapshot_statements(round_id: int, now) -> list[str]:
    rnd = fresh(round_id)
    with counting() as statements:
        payloads.snapshot(rnd, now)
    return statements


@pytest.mark.parametrize("phase", ["vote", "discuss"])
def test_snapshot_costs_the_same_for_a_small_and_a_large_round(app, make_user, now, phase):
    orga = make_user("organizer", totp=False).id
    small = build(orga, now, **SMALL, phase=phase)
    large = build(orga, now, **LARGE, phase=phase)
    seen = snapshot_statements(small, now), snapshot_statements(large, now)
    assert len(seen[0]) == len(seen[1]), seen
    asking_presence = [sql for sql in seen[1] if "presence" in sql]
    assert len(asking_presence) == 1, asking_presence  # once, together with the participants


def test_private_state_costs_the_same_for_one_person_or_everyone(app, make_user, now):
    orga = make_user("organizer", totp=False).id
    counts = []
    for size in (SMALL, LARGE):
        round_id = build(orga, now, **size)
        rnd = fresh(round_id)
        ids = list(db.session.scalars(select(Participant.id).where(Participant.round_id == rnd.id)))
        with counting() as statements:
            states = payloads.private_states(rnd, ids)
        assert len(states) == size["people"]
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_telling_every_voter_after_a_merge_costs_the_same_at_any_size(app, make_user, now):
    orga = make_user("organizer", totp=False).id
    counts = []
    for size in (SMALL, LARGE):
        round_id = build(orga, now, **size)
        rnd = fresh(round_id)
        first, second = db.session.scalars(
            select(Topic.id).where(Topic.round_id == round_id).order_by(Topic.id).limit(2)
        ).all()
        affected = topics.merge_topics(rnd, first, second)
        assert len(affected) == size["people"]
        with counting() as statements:
            events.broadcast(rnd, now)
            events.tell_ids(rnd, affected)
        pending = db.session.info.get("peerlab.live.pending", [])
        told = [p for p in pending if p.label.startswith("round:me ")]
        assert len(told) == size["people"]
        counts.append(len(statements))
        db.session.rollback()
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("change", ["vote:cast", "topic:merge"])
def test_a_change_over_the_socket_costs_the_same_at_any_size(app, make_user, login, now, change):
    """The whole event: lock, change, commit, the room's broadcast and everyone told."""
    from tests.support.sockets import live_client

    orga = make_user("organizer")
    orga_id = orga.id
    http = app.test_client()
    login(http, orga)
    sock = live_client(app, http)
    counts = []
    for size in (SMALL, LARGE):
        round_id = build(orga_id, now, **size)
        first, second, third = db.session.scalars(
            select(Topic.id).where(Topic.round_id == round_id).order_by(Topic.id).limit(3)
        ).all()
        db.session.remove()
        payload = (
            {"round_id": round_id, "topic_id": third}
            if change == "vote:cast"
            else {"round_id": round_id, "topic_id": first, "into_topic_id": second}
        )
        sock.get_received()
        with counting() as statements:
            ack = sock.emit(change, payload, callback=True)
        assert ack["ok"] is True, ack
        counts.append(len(statements))
    sock.disconnect()
    assert counts == [CHANGE_STATEMENTS[change]] * 2, counts


# A member's vote: session, the round's version bump, ONE read of round, voter (as the policy
# admits them) and topic, budget (UPDATE … RETURNING), dot (INSERT … RETURNING), ONE read of
# the room's progress with the voter's own votes, topics, thumb and notes. Was 14 before the
# lock read the round once, the budget UPDATE returned the counter and own state came in two
# statements; 10 before the vote read round, voter and topic together and progress came with
# own state (service/ballot.py).
VOTE_STATEMENTS = 6
# The facilitator's vote adds the guests of their `me` (7; was 11). A merge (18; was 21):
# session, bump, ONE read of round and facilitator, both topics, the votes it moves (2 reads,
# 2 writes), the topics' 2 updates, then ONE roster for the room's state and everyone's `me`,
# the state's topics, takeaways, action items, Roman vote and progress, and everyone's own
# votes, topics, thumb and notes in one read.
CHANGE_STATEMENTS = {"vote:cast": 7, "topic:merge": 18}


def test_a_members_vote_costs_a_fixed_small_number_of_statements(app, make_user, login, now):
    from tests.support.sockets import live_client

    orga_id = make_user("organizer", totp=False).id
    member = make_user("member")
    member_id = member.id
    http = app.test_client()
    login(http, member)
    sock = live_client(app, http)
    counts = []
    for size in (SMALL, LARGE):
        round_id = build(orga_id, now, **size, member_id=member_id)
        third = db.session.scalars(
            select(Topic.id).where(Topic.round_id == round_id).order_by(Topic.id).offset(2)
        ).first()
        db.session.remove()
        with counting() as statements:
            ack = sock.emit("vote:cast", {"round_id": round_id, "topic_id": third}, callback=True)
        assert ack["ok"] is True, ack
        assert ack["me"]["votes_used"] == 3 and ack["me"]["my_votes"][str(third)] == 1
        counts.append(len(statements))
    sock.disconnect()
    assert counts == [VOTE_STATEMENTS, VOTE_STATEMENTS], counts


def test_board_and_summary_pages_cost_the_same_at_any_size(app, make_user, login, now):
    orga = make_user("organizer")
    orga_id = orga.id
    http = app.test_client()
    login(http, orga)
    counts = []
    for size in (SMALL, LARGE):
        round_id = build(orga_id, now, **size, phase="discuss")
        seen = []
        for path in (f"/runden/{round_id}", f"/runden/{round_id}/zusammenfassung"):
            db.session.remove()
            with counting() as statements:
                assert http.get(path).status_code == 200, path
            seen.append(len(statements))
        counts.append(seen)
    assert counts[0] == counts[1], counts
