"""The vote's own path (service/ballot.py) reads round, voter and topic in one statement of
plain rows: it must let in exactly whom the round's policy lets in, refuse in the same order
as the ORM path, and its payloads must tell nothing more than before."""

from __future__ import annotations

import pytest
from sqlalchemy import false, select

from peerlab.accounts.actors import Actor
from peerlab.core.errors import Conflict, NotFound, WrongPhase
from peerlab.extensions import db
from peerlab.lean_coffee import access, payloads
from peerlab.lean_coffee.models import Participant, Round
from peerlab.lean_coffee.service import ballot, presence, rounds, topics
from tests.lean_coffee.conftest import quick_user


def user_actor(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


def guest_actor(guest) -> Actor:
    return Actor("guest", guest.id, guest.display_name, guest=guest)


@pytest.fixture
def voting(make_round, now):
    """A round in the vote phase with two topics (one anonymous, by Anna) and a guest."""
    cast = make_round()
    rnd = cast.round
    plain = topics.add_topic(rnd, cast.ben, "Offen", anonymous=False, now=now)
    secret = topics.add_topic(rnd, cast.anna, "Geheim", anonymous=True, now=now)
    guest, _secret = rounds.create_guest(rnd, "Gast Gerda", now=now)
    rounds.ensure_participant(rnd, guest=guest, now=now)
    rounds.advance_phase(rnd, "vote", now=now)
    db.session.commit()
    return cast, plain.id, secret.id, guest


def outcome(actor, round_id, topic_id):
    try:
        ballot.open_ballot(actor, round_id, topic_id, "open")
    except NotFound:
        return "not_found"
    finally:
        db.session.rollback()
    return "ok"


def test_the_vote_lets_in_exactly_whom_the_policy_lets_in(app, voting, now):
    cast, plain, _secret, guest = voting
    rnd_id = cast.round.id
    stranger = quick_user(now, name="Fremd")
    other = rounds.create_round(
        rounds.RoundSettings(title="Andere", starts_at=cast.round.starts_at, access="link"),
        creator=cast.users["orga"],
        invitees=[],
        now=now,
    )
    other_guest, _ = rounds.create_guest(other, "Gast Otto", now=now)
    rounds.ensure_participant(other, guest=other_guest, now=now)
    db.session.commit()
    actors = {
        "orga": user_actor(cast.users["orga"]),
        "anna": user_actor(cast.users["anna"]),
        "stranger": user_actor(stranger),
        "guest": guest_actor(guest),
        "guest of another round": guest_actor(other_guest),
        "nobody": None,
    }
    seen = {name: outcome(actor, rnd_id, plain) for name, actor in actors.items()}
    rnd = db.session.get(Round, rnd_id)
    expected = {
        name: "ok" if access.find_participant(rnd, actor) is not None else "not_found"
        for name, actor in actors.items()
    }
    assert seen == expected
    assert seen["anna"] == "ok" and seen["guest"] == "ok"
    assert seen["stranger"] == seen["guest of another round"] == seen["nobody"] == "not_found"


def test_a_removed_guest_cannot_vote(app, voting, now):
    cast, plain, _secret, guest = voting
    member = db.session.scalar(select(Participant).where(Participant.guest_id == guest.id))
    rounds.remove_guest(cast.round, member.id, now=now)
    db.session.commit()
    assert outcome(guest_actor(guest), cast.round.id, plain) == "not_found"


def test_a_group_rule_is_applied_to_the_vote_too(app, voting):
    cast, plain, _secret, _guest = voting
    db.session.execute(Round.__table__.update().where(Round.id == cast.round.id).values(group_id=7))
    db.session.commit()
    access.register_group_rule(lambda actor: false())
    try:
        assert outcome(user_actor(cast.users["anna"]), cast.round.id, plain) == "not_found"
    finally:
        access.unregister_group_rule()


def test_refusals_come_in_the_order_of_the_orm_path(app, voting, make_round, now):
    cast, plain, _secret, _guest = voting
    anna = user_actor(cast.users["anna"])
    with pytest.raises(NotFound):
        ballot.open_ballot(anna, 10**6, plain, "open")  # unknown round
    db.session.rollback()
    elsewhere = make_round()
    foreign = topics.add_topic(elsewhere.round, elsewhere.anna, "Fremd", anonymous=False, now=now)
    db.session.commit()
    with pytest.raises(NotFound):
        ballot.open_ballot(anna, cast.round.id, foreign.id, "open")  # topic of another round
    db.session.rollback()
    with pytest.raises(NotFound):
        ballot.open_ballot(anna, cast.round.id, 10**6, "open")  # unknown topic
    db.session.rollback()
    topics.remove_topic(db.session.get(Round, cast.round.id), plain)
    db.session.commit()
    with pytest.raises(Conflict):
        ballot.open_ballot(anna, cast.round.id, plain, "open")  # no longer open
    db.session.rollback()
    rounds.advance_phase(db.session.get(Round, cast.round.id), "discuss", now=now)
    db.session.commit()
    with pytest.raises(WrongPhase):  # the phase is checked before the topic
        ballot.open_ballot(anna, cast.round.id, 10**6, "open")
    db.session.rollback()


def test_after_a_vote_only_the_voter_learns_which_anonymous_topic_is_theirs(app, voting, now):
    cast, plain, secret, _guest = voting
    presence.connect(cast.round, cast.anna, "sid-anna", now=now)
    db.session.commit()
    for who, topic_id in ((cast.users["anna"], secret), (cast.users["orga"], plain)):
        opened = ballot.open_ballot(user_actor(who), cast.round.id, topic_id, "open")
        ballot.cast(opened)
        progress, me = payloads.after_vote(opened)
        db.session.commit()
        assert set(progress) == {"round_id", "version", "dots_cast", "voters"}
        if who is cast.users["anna"]:
            assert me["my_topic_ids"] == [secret] and me["guests"] is None
            assert me["votes_used"] == 1 and me["my_votes"] == {str(secret): 1}
        else:  # the facilitator: not the anonymous author; sees the guest, not Anna's topic
            assert secret not in me["my_topic_ids"]
            assert [g["name"] for g in me["guests"]] == ["Gast Gerda"]
            assert progress["dots_cast"] == 2 and progress["voters"] == 2
