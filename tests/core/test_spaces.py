"""Spaces and membership: each policy's two forms (a list query and a single check) say the same,
and both say what the rule in words says, for every kind of actor and generated memberships."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import GuestPass, User
from peerlab.core import spaces
from peerlab.core.errors import NotFound
from peerlab.extensions import db
from peerlab.lean_coffee import access
from peerlab.lean_coffee.models import Participant, Round


class _TestBase(DeclarativeBase):
    """Kept out of the app's metadata, so migrations and models still agree."""


class Thing(_TestBase):
    """A space of a made-up kind that uses the generic Membership table."""

    __tablename__ = "test_space_things"
    id: Mapped[int] = mapped_column(primary_key=True)


THING = "test.thing"
ROLES = ("member", "member", "organizer", "admin")  # account roles of the generated users
GROUPS = (None, 7, 8)


class ThingFeature:
    """Makes the made-up kind of space known to the test's app (and to no other app)."""

    def init_app(self, app, registry) -> None:
        spaces.register(spaces.MembershipPolicy(THING, Thing, roles_see_all=("admin",)))


@pytest.fixture
def app_features():
    return (ThingFeature(),)


@pytest.fixture
def thing_policy(app):
    Thing.__table__.create(db.engine, checkfirst=True)


@pytest.fixture
def no_group_rule():
    yield
    access.unregister_group_rule()


def _people(now) -> list[User]:
    users = [
        User(email=f"sp{i}-{secrets.token_hex(4)}@x.example", role=role, created_at=now)
        for i, role in enumerate(ROLES)
    ]
    db.session.add_all(users)
    db.session.flush()
    return users


def _guest(now, scope_kind: str, scope_id: int) -> GuestPass:
    guest = GuestPass(
        token_hash=secrets.token_hex(32),
        display_name="Gast",
        scope_kind=scope_kind,
        scope_id=scope_id,
        created_at=now,
    )
    db.session.add(guest)
    db.session.flush()
    return guest


def _actors(users, guests) -> list[Actor | None]:
    return [
        None,  # anonymous
        *(Actor("user", u.id, "x", user=u) for u in users),
        *(Actor("guest", g.id, "x", guest=g) for g in guests),
    ]


# --- Lean Coffee rounds: memberships (Participant rows), removal, guests' scope, groups -------

round_world = st.fixed_dictionaries(
    {
        "groups": st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4),
        # per (round, person) slot: no participant, an invited, active or removed one, or only
        # a membership of another kind of space with the round's id (which must not count)
        "rows": st.lists(
            st.sampled_from(("none", "invited", "active", "removed", "other_kind")),
            min_size=24,
            max_size=24,
        ),
        "guest_scopes": st.lists(st.integers(0, 3), min_size=2, max_size=2),
        "rule": st.booleans(),
        "in_group_7": st.sets(st.integers(0, len(ROLES) - 1)),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=round_world)
def test_round_policy_list_and_single_check_agree_with_the_rule(app, now, no_group_rule, world):
    try:
        users = _people(now)
        rounds = []
        for n, group in enumerate(world["groups"]):
            rnd = Round(title=f"R{n}", starts_at=now, created_at=now, group_id=group)
            db.session.add(rnd)
            rounds.append(rnd)
        db.session.flush()
        guests = [
            _guest(now, access.GUEST_SCOPE, rounds[i % len(rounds)].id)
            for i in world["guest_scopes"]
        ]
        people = [("user", u) for u in users] + [("guest", g) for g in guests]
        state: dict[tuple[int, str, int], str] = {}
        slots = iter(world["rows"])
        for rnd in rounds:
            for kind, person in people:
                value = next(slots, "none")
                state[(rnd.id, kind, person.id)] = value
                if value == "none":
                    continue
                who = {
                    "user_id": person.id if kind == "user" else None,
                    "guest_id": person.id if kind == "guest" else None,
                }
                if value == "other_kind":
                    spaces.add_member(THING, rnd.id, now=now, status="active", **who)
                    continue
                db.session.add(
                    Participant(
                        round_id=rnd.id,
                        role="guest" if kind == "guest" else "participant",
                        created_at=now,
                        joined_at=now if value != "invited" else None,
                        removed_at=now if value == "removed" else None,
                        **who,
                    )
                )
        db.session.flush()
        group_members = {users[i].id for i in world["in_group_7"]}
        if world["rule"]:
            access.register_group_rule(
                lambda actor: (
                    Round.group_id == 7
                    if actor.kind == "user" and actor.id in group_members
                    else Round.group_id.is_(None)
                )
            )
        else:
            access.unregister_group_rule()

        def rule_in_words(rnd: Round, actor: Actor | None) -> bool:
            if actor is None:
                return False
            if actor.kind == "guest" and actor.guest.scope_id != rnd.id:
                return False  # a pass opens exactly its own round
            if state[(rnd.id, actor.kind, actor.id)] not in ("invited", "active"):
                return False
            if rnd.group_id is None:
                return True
            return (
                world["rule"]
                and rnd.group_id == 7
                and actor.kind == "user"
                and actor.id in group_members
            )

        ids = [r.id for r in rounds]
        for actor in _actors(users, guests):
            listed = set(
                db.session.scalars(
                    spaces.visible(
                        access.SPACE_KIND, select(Round.id).where(Round.id.in_(ids)), actor
                    )
                )
            )
            single = {r.id for r in rounds if spaces.can_view(access.SPACE_KIND, r, actor)}
            expected = {r.id for r in rounds if rule_in_words(r, actor)}
            assert listed == single == expected
            assert {r.id for r in rounds if access.access_for(r, actor).may_view} == expected
    finally:
        db.session.rollback()


# --- the generic Membership table (new formats) --------------------------------------------

thing_world = st.fixed_dictionaries(
    {
        "count": st.integers(1, 4),
        "rows": st.lists(st.sampled_from(("none", *spaces.STATUSES)), min_size=24, max_size=24),
        "guest_scopes": st.lists(st.integers(0, 3), min_size=2, max_size=2),
        "guest_kind": st.sampled_from((THING, "other.kind")),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=thing_world)
def test_membership_policy_list_and_single_check_agree_with_the_rule(app, now, thing_policy, world):
    try:
        users = _people(now)
        things = [Thing() for _ in range(world["count"])]
        db.session.add_all(things)
        db.session.flush()
        guests = [
            _guest(now, world["guest_kind"], things[i % len(things)].id)
            for i in world["guest_scopes"]
        ]
        people = [("user", u) for u in users] + [("guest", g) for g in guests]
        state: dict[tuple[int, str, int], str] = {}
        slots = iter(world["rows"])
        for thing in things:
            for kind, person in people:
                value = next(slots, "none")
                state[(thing.id, kind, person.id)] = value
                if value != "none":
                    spaces.add_member(
                        THING,
                        thing.id,
                        now=now,
                        user_id=person.id if kind == "user" else None,
                        guest_id=person.id if kind == "guest" else None,
                        status=value,
                    )

        def rule_in_words(thing: Thing, actor: Actor | None) -> bool:
            if actor is None:
                return False
            if actor.kind == "user" and actor.role == "admin":
                return True
            if actor.kind == "guest" and (
                actor.guest.scope_kind != THING or actor.guest.scope_id != thing.id
            ):
                return False
            return state[(thing.id, actor.kind, actor.id)] in ("invited", "active")

        ids = [t.id for t in things]
        for actor in _actors(users, guests):
            listed = set(
                db.session.scalars(
                    spaces.visible(THING, select(Thing.id).where(Thing.id.in_(ids)), actor)
                )
            )
            single = {t.id for t in things if spaces.can_view(THING, t, actor)}
            expected = {t.id for t in things if rule_in_words(t, actor)}
            assert listed == single == expected
    finally:
        db.session.rollback()


# --- membership rows ------------------------------------------------------------------------


def test_membership_keeps_status_and_times(app, now, clock, thing_policy):
    user = _people(now)[0]
    thing = Thing()
    db.session.add(thing)
    db.session.flush()
    row = spaces.add_member(THING, thing.id, now=now, user_id=user.id, display_name="Mia")
    assert row.status == "invited" and row.joined_at is None
    actor = Actor("user", user.id, "x", user=user)
    assert spaces.membership_of(THING, thing.id, actor).display_name == "Mia"
    clock.advance(60)
    came = clock.now()
    spaces.set_status(row, "active", now=came)
    assert row.joined_at == came and row.left_at is None
    clock.advance(60)
    went = clock.now()
    spaces.set_status(row, "left", now=went)
    assert row.left_at == went and row.joined_at == came
    assert not spaces.can_view(THING, thing, actor)
    with pytest.raises(NotFound):
        spaces.require_visible(THING, thing, actor)
    with pytest.raises(NotFound):  # missing answers exactly like hidden
        spaces.require_visible(THING, 10**6, actor)
    with pytest.raises(ValueError):
        spaces.set_status(row, "banned", now=now)


def test_one_membership_per_person_and_space_and_exactly_one_person(app, now, thing_policy):
    user = _people(now)[0]
    spaces.add_member(THING, 1, now=now, user_id=user.id)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        spaces.add_member(THING, 1, now=now, user_id=user.id)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        spaces.add_member(THING, 2, now=now)  # nobody
    db.session.rollback()


def test_unknown_kind_is_a_programming_error_not_a_silent_empty_list(app):
    with pytest.raises(LookupError):
        spaces.visible("nobody.registered", select(Round.id), None)
