"""Dashboard part, join link, export and erasure of impulse registrations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.core import joining
from peerlab.extensions import db
from peerlab.impulses import integration
from peerlab.impulses.calendar_source import KIND
from peerlab.impulses.models import Registration
from peerlab.impulses.service import registrations
from tests.impulses.conftest import make_series, quick_user, statuses


def test_dashboard_and_join_link_only_for_a_confirmed_place(app, now, orga):
    made = make_series(now, orga, capacity=1, hours_ahead=1)
    impulse = made.impulses[0]
    anna, ben = quick_user(now, name="Anna"), quick_user(now, name="Ben")
    registrations.register(impulse, anna, now=now)
    registrations.register(impulse, ben, now=now)
    db.session.commit()
    with app.test_request_context():
        assert [d.subject_id for d in integration.dashboard(anna, now).dates] == [impulse.id]
        assert integration.dashboard(ben, now).dates == []
        soon = impulse.starts_at - timedelta(minutes=10)
        assert joining.join_url(KIND, impulse.id, anna, soon) == "https://meet.example.org/k"
        assert joining.join_url(KIND, impulse.id, ben, soon) is None
        assert joining.join_url(KIND, impulse.id, anna, now - timedelta(hours=1)) is None


def test_erasing_a_person_gives_their_place_to_the_head_of_the_list(app, now, orga):
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    anna, ben = quick_user(now, name="Anna"), quick_user(now, name="Ben")
    registrations.register(impulse, anna, now=now)
    registrations.register(impulse, ben, now=now)
    db.session.commit()
    assert integration.export_user(anna)["registrations"][0]["status"] == "confirmed"
    integration.erase_user(anna, False, now)
    db.session.commit()
    assert statuses(impulse) == [(ben.id, "confirmed")]
    assert (
        db.session.scalars(select(Registration).where(Registration.user_id == anna.id)).all() == []
    )
