"""Groups and membership: creation, size limit in the transaction, identities, invitations,
leaving with ownership passing on, removal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.core import spaces
from peerlab.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.models import SPACE_KIND, GroupMember, Invitation
from peerlab.groups.service import groups as service
from peerlab.groups.service import identity, invites
from tests.groups.conftest import REAL, actor, alias, join_by_link, settings


def row_of(group, user):
    return spaces.membership_of(SPACE_KIND, group.id, actor(user))


def test_creator_is_owner_and_sees_the_group_organizer_and_admin_do_not(group, people):
    assert access.require_member(group.id, actor(people.anna))[1].role == "owner"
    for outsider in (people.orga, people.admin, people.outsider, None):
        with pytest.raises(NotFound):
            access.require_member(group.id, actor(outsider) if outsider else None)
    with pytest.raises(NotFound):
        access.require_member(group.id + 999, actor(people.anna))


def test_rule_acceptance_is_stored_with_time(group, people, now):
    detail = db.session.get(GroupMember, row_of(group, people.ben).id)
    assert detail.rule_accepted_at <= now and detail.identity == "pseudonym"


def test_joining_without_accepting_the_rule_changes_nothing(group, people, now):
    owner = row_of(group, people.anna)
    secret = invites.create_link(group, owner, 7, now=now)
    db.session.commit()
    with pytest.raises(InvalidInput):
        invites.join(
            secret, people.dora, service.JoinChoice(accept_rule=False, identity="real"), now=now
        )
    db.session.rollback()
    assert row_of(group, people.dora) is None
    # the link was not used up by the failed attempt
    invites.join(secret, people.dora, REAL, now=now)


def test_shown_names_are_the_identity_in_the_group(group):
    names = [name for _row, name in service.members(group)]
    assert names == ["Anna Amsel", "Stille Eiche", "Carl Clausen"]


@pytest.mark.parametrize(
    "name, code",
    [
        ("Carl Clausen", "pseudonym_taken"),  # another member's real name
        ("stille  eiche", "pseudonym_taken"),  # another member's pseudonym
        ("Dora Dorn", "pseudonym_own_name"),
        ("ab", "pseudonym_length"),
        ("1234", "pseudonym_letters"),
    ],
)
def test_pseudonym_rules(group, people, now, name, code):
    with pytest.raises(InvalidInput) as err:
        identity.check_pseudonym(name, group_id=group.id, user=people.dora)
    assert err.value.code == code


def test_a_pseudonym_is_not_reused_across_groups(group, people, now):
    other = service.create_group(
        settings(name="Zweite Gruppe"), creator=people.dora, choice=REAL, now=now
    )
    owner = row_of(other, people.dora)
    with pytest.raises(InvalidInput) as err:
        join_by_link(other, owner, people.ben, alias("Stille Eiche"), now)
    assert err.value.code == "pseudonym_taken"


def test_suggestions_are_free_pseudonyms_from_our_word_lists(group, people):
    found = identity.suggestions(group.id, people.dora)
    assert len(found) == 3
    for name in found:
        adjective, noun = name.split(" ")
        assert adjective in identity.ADJECTIVES and noun in identity.NATURE
        assert identity.check_pseudonym(name, group_id=group.id, user=people.dora) == name


def test_size_limit_is_enforced_when_joining(app, people, now):
    small = service.create_group(settings(size_limit=3), creator=people.anna, choice=REAL, now=now)
    owner = row_of(small, people.anna)
    join_by_link(small, owner, people.ben, REAL, now)
    join_by_link(small, owner, people.carl, REAL, now)
    secret = invites.create_link(small, owner, 7, now=now)
    with pytest.raises(Conflict) as err:
        invites.join(secret, people.dora, REAL, now=now)
    assert err.value.code == "group_full"


def test_invitation_expires_and_is_used_once(group, people, clock):
    owner = row_of(group, people.anna)
    now = clock.now()
    secret = invites.create_link(group, owner, 1, now=now)
    with pytest.raises(NotFound):
        invites.lookup(secret, people.dora, now=now + timedelta(days=1, seconds=1))
    invites.join(secret, people.dora, REAL, now=now)
    db.session.commit()
    with pytest.raises(NotFound):
        invites.lookup(secret, people.outsider, now=now)


def test_mail_invitation_is_for_the_invited_account_only_and_names_no_group(group, people, now):
    from peerlab.notify.models import OutboxMail

    owner = row_of(group, people.anna)
    invites.invite_account(group, owner, people.dora.id, now=now)
    mail = db.session.scalars(select(OutboxMail)).all()[-1]
    raw = mail.raw.decode("ascii", "replace")
    assert mail.subject == "Sie sind zu einer vertraulichen Gruppe in peerlab eingeladen"
    for secret_word in ("Sicherheit", "Anna", "Amsel", "Stille Eiche"):
        assert secret_word not in raw
    inv = db.session.scalars(select(Invitation).where(Invitation.user_id == people.dora.id)).one()
    assert inv.token_hash not in raw  # the hash is stored, the mail carries the secret


def test_members_may_invite_only_if_the_group_allows(app, people, now):
    closed = service.create_group(
        settings(members_may_invite=False), creator=people.anna, choice=REAL, now=now
    )
    owner = row_of(closed, people.anna)
    join_by_link(closed, owner, people.ben, REAL, now)
    with pytest.raises(Forbidden):
        invites.create_link(closed, row_of(closed, people.ben), 7, now=now)


def test_new_addresses_only_through_an_organizer_audit_names_no_group(group, people, now):
    from peerlab.accounts.models import AuditEntry

    owner = row_of(group, people.anna)
    with pytest.raises(Forbidden):
        invites.invite_address(group, people.anna, "neu@kommune.example", now=now)
    join_by_link(group, owner, people.orga, REAL, now)
    invites.invite_address(group, people.orga, "neu@kommune.example", now=now)
    entries = db.session.scalars(select(AuditEntry)).all()
    assert entries and all("Sicherheit" not in repr(e.detail) for e in entries)
    assert all(str(group.id) not in (e.detail or {}).values() for e in entries)


def test_last_owner_leaving_passes_ownership_to_the_longest_standing_member(group, people, now):
    service.leave(group, row_of(group, people.anna), now=now)
    assert row_of(group, people.ben).role == "owner"  # joined before Carl
    with pytest.raises(NotFound):
        access.require_member(group.id, actor(people.anna))


def test_last_owner_may_name_the_successor(group, people, now):
    carl = row_of(group, people.carl)
    service.leave(group, row_of(group, people.anna), successor_id=carl.id, now=now)
    assert row_of(group, people.carl).role == "owner"
    assert row_of(group, people.ben).role == "member"


def test_removed_member_sees_nothing_and_cannot_rejoin_by_link(group, people, now):
    owner = row_of(group, people.anna)
    service.remove_member(group, owner, row_of(group, people.ben).id, now=now)
    with pytest.raises(NotFound):
        access.require_member(group.id, actor(people.ben))
    with pytest.raises(Conflict):
        join_by_link(group, owner, people.ben, REAL, now)


def test_owner_switches_anonymous_off(group, people):
    service.switch_anonymous_off(group)
    assert group.allow_anonymous is False
