"""Takeaways, action items, closing lines, summary, Markdown, follow-up, roles, guests, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.accounts.models import GuestPass
from peerlab.core.errors import Conflict, Forbidden, NotFound, WrongPhase
from peerlab.extensions import db
from peerlab.i18n import format_day
from peerlab.lean_coffee import access, export, integration
from peerlab.lean_coffee.models import Participant, Round, Topic
from peerlab.lean_coffee.service import discussion, notes, presence, rounds, topics, votes
from peerlab.lean_coffee.service import summary as summary_service


def due_date(now):
    return (now + timedelta(days=1)).date()


def finished_round(cast, now):
    for person in (cast.fac, cast.anna, cast.ben):  # everyone came to the board
        person.joined_at = now
    named = topics.add_topic(cast.round, cast.ben, "Wohnraum", "Leerstand", now=now)
    secret = topics.add_topic(cast.round, cast.anna, "Bedrohungen im Amt", anonymous=True, now=now)
    rest = topics.add_topic(cast.round, cast.fac, "Kitaplätze", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    votes.cast_vote(cast.round, cast.ben, secret.id)
    votes.cast_vote(cast.round, cast.ben, secret.id)
    votes.cast_vote(cast.round, cast.anna, named.id)
    rounds.advance_phase(cast.round, "discuss", now=now)
    notes.add_takeaway(cast.round, cast.ben, secret.id, "Vorfälle dokumentieren", now=now)
    notes.add_action(
        cast.round,
        cast.anna,
        secret.id,
        "Polizei einladen",
        owner_participant_id=cast.ben.id,
        due_on=due_date(now),
        now=now,
    )
    discussion.next_topic(cast.round, now=now)
    rounds.advance_phase(cast.round, "wrapup", now=now)
    notes.set_closing(cast.round, cast.anna, "Gut, nicht allein zu sein.")
    db.session.commit()
    return named, secret, rest


def test_summary_orders_by_discussion_and_lists_undiscussed(make_round, now):
    cast = make_round()
    named, secret, rest = finished_round(cast, now)
    result = summary_service.build(cast.round, now=now)
    assert [t.id for t in result.discussed] == [secret.id, named.id]
    assert [t.id for t in result.undiscussed] == [rest.id]
    assert result.discussed[0].votes == 2
    assert result.discussed[0].actions[0].owner == "Ben Berg"
    assert result.closing == ["Gut, nicht allein zu sein."]


def test_markdown_has_results_and_no_author(make_round, now):
    cast = make_round()
    finished_round(cast, now)
    text = export.to_markdown(summary_service.build(cast.round, now=now))
    assert "Bedrohungen im Amt" in text and "Vorfälle dokumentieren" in text
    assert "Polizei einladen" in text and format_day(due_date(now)) in text
    assert "Anna" not in text  # the anonymous author (and no author at all) is named nowhere


def test_markdown_escapes_user_text(make_round, now):
    cast = make_round()
    topics.add_topic(cast.round, cast.ben, "# [Link](http://x) *fett*", now=now)
    text = export.to_markdown(summary_service.build(cast.round, now=now))
    assert "\\# \\[Link\\](http://x) \\*fett\\*" in text


def test_notes_only_on_discussed_topics_and_in_the_right_phase(make_round, now):
    cast = make_round()
    topic = topics.add_topic(cast.round, cast.ben, "X", now=now)
    with pytest.raises(WrongPhase):
        notes.add_takeaway(cast.round, cast.ben, topic.id, "zu früh", now=now)


def test_only_writer_or_facilitator_deletes_a_takeaway(make_round, now):
    cast = make_round()
    _named, secret, _rest = finished_round(cast, now)
    item = notes.add_takeaway(cast.round, cast.ben, secret.id, "Noch eine", now=now)
    with pytest.raises(Forbidden):
        notes.delete_takeaway(cast.round, cast.anna, item.id)
    notes.delete_takeaway(cast.round, cast.fac, item.id)


def test_action_due_date_must_be_a_date():
    with pytest.raises(Exception) as err:
        notes.parse_due("morgen")
    assert getattr(err.value, "code", "") == "bad_payload"


def test_follow_up_round_carries_undiscussed_topics_without_author(make_round, now):
    cast = make_round()
    _named, _secret, rest = finished_round(cast, now)
    follow = rounds.create_round(
        rounds.RoundSettings(title="Fortsetzung", starts_at=now + timedelta(days=7)),
        creator=cast.users["orga"],
        invitees=[],
        now=now,
        follow_up_of=cast.round,
    )
    carried = db.session.scalars(select(Topic).where(Topic.round_id == follow.id)).all()
    assert [(t.title, t.author_id, t.carried_from_id) for t in carried] == [
        ("Kitaplätze", None, rest.id)
    ]


def test_handover_keeps_previous_facilitator_as_cofacilitator(make_round, now):
    cast = make_round()
    presence.connect(cast.round, cast.anna, "sid-anna", now=now)  # only to someone on the board
    rounds.handover(cast.round, cast.fac, cast.anna.id)
    assert (cast.anna.role, cast.fac.role) == ("facilitator", "cofacilitator")
    with pytest.raises(Forbidden):
        rounds.handover(cast.round, cast.fac, cast.ben.id)  # only the facilitator hands over


def guest_in(cast, now, name="Gast Gerda"):
    guest, _secret = rounds.create_guest(cast.round, name, now=now)
    return guest, rounds.ensure_participant(cast.round, guest=guest, now=now)


def test_guest_sees_only_its_round(make_round, now):
    cast = make_round()
    guest, _p = guest_in(cast, now)
    other = rounds.create_round(
        rounds.RoundSettings(title="Andere", starts_at=now),
        creator=cast.users["orga"],
        invitees=[],
        now=now,
    )
    actor = Actor("guest", guest.id, guest.display_name, guest=guest)
    assert access.access_for(cast.round, actor).may_view
    assert not access.access_for(other, actor).may_view


def test_removed_guest_loses_access_and_pass(make_round, now):
    cast = make_round()
    guest, participant = guest_in(cast, now)
    rounds.remove_guest(cast.round, participant.id, now=now)
    assert db.session.get(GuestPass, guest.id).revoked_at is not None
    actor = Actor("guest", guest.id, guest.display_name, guest=guest)
    with pytest.raises(NotFound):
        access.require(cast.round, actor)


def test_only_guests_can_be_removed(make_round, now):
    cast = make_round()
    with pytest.raises(Conflict):
        rounds.remove_guest(cast.round, cast.anna.id, now=now)


def test_link_revoke_and_renew(app, make_round, now):
    cast = make_round()
    token = access.link_token(cast.round)
    assert access.may_join_by_link(cast.round, token)
    rounds.renew_link(cast.round, revoke=False)
    assert not access.may_join_by_link(cast.round, token)
    new = access.link_token(cast.round)
    rounds.renew_link(cast.round, revoke=True)
    assert not access.may_join_by_link(cast.round, new)


def test_uninvited_user_has_no_access(make_round, now):
    from tests.lean_coffee.conftest import quick_user

    cast = make_round()
    outsider = quick_user(now, name="Außen")
    actor = Actor("user", outsider.id, outsider.display_name, user=outsider)
    assert not access.access_for(cast.round, actor).may_view


def test_group_round_is_closed_without_a_group_rule(make_round, now):
    cast = make_round()
    cast.round.group_id = 99
    actor = Actor("user", cast.users["anna"].id, "Anna", user=cast.users["anna"])
    assert not access.access_for(cast.round, actor).may_view


def test_dashboard_shows_next_round_and_owned_action_items(app, make_round, now):
    cast = make_round()
    finished_round(cast, now)
    with app.test_request_context():
        part = integration.dashboard(cast.users["ben"], now)
        assert [d.title for d in part.dates] == ["Lean Coffee Integration"]
        assert [t.text for t in part.todos] == ["Polizei einladen"]
        assert integration.dashboard(cast.users["anna"], now).todos == []


def test_erasure_removes_votes_and_detaches_content(make_round, now):
    cast = make_round()
    named, secret, _rest = finished_round(cast, now)
    integration.erase_user(cast.users["anna"], True, now)
    db.session.commit()
    assert db.session.get(Topic, secret.id).author_mark is None
    assert (
        db.session.scalar(select(Participant).where(Participant.user_id == cast.users["anna"].id))
        is None
    )
    assert votes.totals(db.session.get(Round, cast.round.id)).get(named.id) is None


def test_erasure_without_keeping_content_deletes_own_anonymous_topic(make_round, now):
    cast = make_round()
    _named, secret, _rest = finished_round(cast, now)
    exported = integration.export_user(cast.users["anna"])
    assert exported["rounds"][0]["topics"][0]["title"] == "Bedrohungen im Amt"
    integration.erase_user(cast.users["anna"], False, now)
    db.session.commit()
    assert db.session.get(Topic, secret.id) is None
