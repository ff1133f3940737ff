"""A round's participants are its memberships (core.spaces): one row per person and round, with
the status following invitation, joining and removal; deleting a round or erasing a person
takes both the membership and Lean Coffee's own columns along."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from peerlab.accounts.actors import Actor
from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.lean_coffee import access, integration
from peerlab.lean_coffee.models import SPACE_KIND, Participant
from peerlab.lean_coffee.service import presence, rounds


def _user(user) -> Actor:
    return Actor("user", user.id, user.role, user=user)


def _rows(table: str, ids) -> int:
    if not ids:
        return 0
    marks = ", ".join(str(int(i)) for i in ids)
    return db.session.execute(text(f"SELECT COUNT(*) FROM {table} WHERE id IN ({marks})")).scalar()


def test_participants_are_the_rounds_memberships(make_round, clock):
    cast = make_round()
    anna = _user(cast.users["anna"])
    row = spaces.membership_of(SPACE_KIND, cast.round.id, anna)
    assert row is cast.anna and isinstance(row, Participant)
    assert (row.status, row.joined_at, row.invited, row.role) == (
        "invited",
        None,
        True,
        "participant",
    )
    assert cast.fac.role == "facilitator" and cast.fac.space_id == cast.round.id

    came = clock.advance(60)
    presence.connect(cast.round, cast.anna, "sid-anna", now=came)
    assert (cast.anna.status, cast.anna.joined_at) == ("active", came)

    guest, _secret = rounds.create_guest(cast.round, "Gerda", now=came)
    gerda = rounds.ensure_participant(cast.round, guest=guest, now=came)
    assert (gerda.status, gerda.role, gerda.display_name) == ("active", "guest", "Gerda")
    assert gerda.invited is False and gerda.created_at == came
    gone = clock.advance(60)
    rounds.remove_guest(cast.round, gerda.id, now=gone)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(spaces.Membership, gerda.id)
    assert (stored.status, stored.left_at, stored.removed_at) == ("removed", gone, gone)
    guest_actor = Actor("guest", guest.id, "guest", guest=guest)
    assert not access.RoundPolicy().can_view(cast.round, guest_actor)


def test_memberships_of_other_kinds_stay_plain_and_lean_coffee_rows_need_their_class(
    make_round, now
):
    cast = make_round()
    round_id, anna_id = cast.round.id, cast.users["anna"].id
    other = spaces.add_member("test.other", round_id, now=now, user_id=anna_id).id
    db.session.commit()
    db.session.expunge_all()
    loaded = db.session.scalars(
        select(spaces.Membership).where(spaces.Membership.space_id == round_id)
    ).all()
    assert {type(m).__name__ for m in loaded} == {"Participant", "Membership"}
    assert type(db.session.get(spaces.Membership, other)) is spaces.Membership
    with pytest.raises(ValueError):
        spaces.add_member(SPACE_KIND, round_id, now=now, user_id=anna_id)
    with pytest.raises(TypeError):

        class Stray(spaces.Membership):  # a detail table for a kind core does not list
            __tablename__ = "stray_members"
            __mapper_args__ = {"polymorphic_identity": "stray.kind"}

    assert "stray_members" not in db.metadata.tables  # refused before anything was mapped


def test_deleting_a_round_takes_its_memberships_along(make_round, now):
    doomed, kept = make_round(), make_round()
    ids = [p.id for p in (doomed.fac, doomed.anna, doomed.ben)]
    rounds.delete_round(doomed.round, now=now)
    db.session.commit()
    assert _rows("memberships", ids) == 0
    assert _rows("lean_coffee_participants", ids) == 0
    assert db.session.scalar(select(func.count()).where(Participant.round_id == kept.round.id)) == 3


def test_erasing_a_person_removes_their_membership(make_round, now):
    cast = make_round()
    anna_id = cast.anna.id
    integration.erase_user(cast.users["anna"], True, now)
    db.session.commit()
    assert _rows("memberships", [anna_id]) == 0
    assert _rows("lean_coffee_participants", [anna_id]) == 0
