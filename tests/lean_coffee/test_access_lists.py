"""Lists, the dashboard, calendar feeds and the summary mail go through the round's policy:
what a page would refuse, no list shows and no mail sends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerlab.accounts.actors import Actor
from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.lean_coffee import access, calendar_source, integration
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import mailing
from tests.lean_coffee.conftest import participant_of
from tests.lean_coffee.test_routes import mails_to
from tests.lean_coffee.test_service_results import finished_round


def actor_of(user) -> Actor:
    return Actor("user", user.id, user.display_name, user=user)


@pytest.fixture
def group_rule():
    """A group rule for the test (members of group 7 only); always removed afterwards."""
    allowed: set[int] = set()

    def rule(actor):
        ok = actor.kind == "user" and actor.id in allowed
        return Round.group_id == 7 if ok else Round.group_id.is_(None)

    access.register_group_rule(rule)
    yield allowed
    access.unregister_group_rule()


def test_the_round_policy_is_registered_by_lean_coffee(app):
    assert spaces.policy(access.SPACE_KIND).model is Round


def test_round_list_hides_a_round_the_policy_refuses(app, make_round, login):
    cast = make_round(signed_in=True)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    assert "Lean Coffee Integration" in anna.get("/runden").get_data(as_text=True)
    cast.round.group_id = 7  # a group round without a group rule: closed to everyone
    db.session.commit()
    assert anna.get(f"/runden/{cast.round.id}").status_code == 404
    assert "Lean Coffee Integration" not in anna.get("/runden").get_data(as_text=True)


def test_round_list_follows_the_group_rule(app, make_round, login, group_rule):
    cast = make_round(signed_in=True)
    cast.round.group_id = 7
    db.session.commit()
    anna = app.test_client()
    login(anna, cast.users["anna"])
    assert "Lean Coffee Integration" not in anna.get("/runden").get_data(as_text=True)
    group_rule.add(cast.users["anna"].id)
    assert "Lean Coffee Integration" in anna.get("/runden").get_data(as_text=True)


def test_dashboard_hides_dates_and_todos_of_a_round_the_policy_refuses(app, make_round, now):
    cast = make_round()
    finished_round(cast, now)
    ben = cast.users["ben"]
    with app.test_request_context():
        part = integration.dashboard(ben, now)
        assert [t.text for t in part.todos] == ["Polizei einladen"]
        cast.round.group_id = 7
        db.session.commit()
        part = integration.dashboard(ben, now)
    assert part.todos == [] and part.dates == []


def test_calendar_feed_leaves_out_a_round_the_policy_refuses(app, make_round, now):
    cast = make_round()
    source = calendar_source.RoundCalendar()
    anna = cast.users["anna"]
    assert [e.summary for e in source.events_for(anna, now)] == [
        "Lean Coffee: Lean Coffee Integration"
    ]
    cast.round.group_id = 7
    db.session.commit()
    assert source.events_for(anna, now) == []
    assert not source.can_view(cast.round.id, anna)


def test_summary_mail_goes_only_to_people_who_joined(app, make_round, now, make_user):
    from peerlab.lean_coffee.service import rounds

    cast = make_round()
    late = make_user(name="Lena Nie-da")
    rounds.invite_people(cast.round, [late], organizer=cast.users["orga"], now=now)
    assert participant_of(cast.round, late).joined_at is None  # invited, not yet come
    finished_round(cast, now)
    sent = mailing.mail_summary(cast.round, now=now)
    db.session.commit()
    assert sent == 3
    assert not any("Zusammenfassung" in m.subject for m in mails_to(late.email))
    for key in ("orga", "anna", "ben"):
        assert any("Zusammenfassung" in m.subject for m in mails_to(cast.users[key].email))


def test_a_group_round_sends_no_summary_mail_at_all(app, make_round, now):
    from peerlab.core.errors import NotFound

    cast = make_round()
    finished_round(cast, now)
    cast.round.group_id = 7  # a confidential group's round: the page in the group only
    with pytest.raises(NotFound):
        mailing.mail_summary(cast.round, now=now)
    assert cast.round.summary_mailed_at is None


def test_policy_and_single_round_access_agree(app, make_round, now):
    cast = make_round()
    anna = actor_of(cast.users["anna"])
    visible = db.session.scalars(spaces.visible(access.SPACE_KIND, select(Round.id), anna)).all()
    assert visible == [cast.round.id]
    assert spaces.can_view(access.SPACE_KIND, cast.round, anna)
    assert access.access_for(cast.round, anna).participant.id == cast.anna.id
    assert not spaces.can_view(access.SPACE_KIND, cast.round, None)
    assert not spaces.can_view(access.SPACE_KIND, 10**6, anna)  # missing: same as hidden
    policy = spaces.policy(access.SPACE_KIND)
    assert policy.can_view(cast.round, anna)
    assert db.session.scalars(policy.visible(select(Round.id), anna)).all() == [cast.round.id]
