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
from tests.impulses.conftest import mails_to, make_series, quick_user, statuses


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
    assert mails_to(anna, "invitation_cancel") == 0  # no mail to an address being erased
    assert (
        db.session.scalars(select(Registration).where(Registration.user_id == anna.id)).all() == []
    )


def test_moving_up_reaches_the_real_smtp_server_with_the_invitation(mail_app, smtp):
    from peerlab.notify import sender

    now = mail_app.extensions["peerlab.clock"].now()
    orga = quick_user(now, "organizer", "Olga")
    made = make_series(now, orga, capacity=1)
    impulse = made.impulses[0]
    anna, ben = quick_user(now, name="Anna"), quick_user(now, name="Ben")
    registrations.register(impulse, anna, now=now)
    registrations.register(impulse, ben, now=now)
    db.session.commit()
    sender.send_due(now)
    smtp.recorder.clear()
    registrations.cancel(impulse, anna, now=now)
    db.session.commit()
    assert sender.send_due(now) == 2  # Anna's CANCEL, Ben's moving-up mail
    (moved,) = smtp.recorder.to(ben.email)
    assert "nachgerückt" in moved["Subject"]
    kinds = [p.get_content_type() for p in moved.walk()]
    assert "text/calendar" in kinds
    (cancel,) = smtp.recorder.to(anna.email)
    cal = next(p for p in cancel.walk() if p.get_content_type() == "text/calendar")
    assert b"METHOD:CANCEL" in cal.get_payload(decode=True)


def test_my_next_impulse_is_on_the_dashboard(client, make_user, login, now):
    orga = make_user("organizer")
    made = make_series(now, orga, capacity=1)
    leader = make_user()
    registrations.register(made.impulses[0], leader, now=now)
    db.session.commit()
    login(client, leader)
    html = client.get("/").get_data(as_text=True)
    assert "Kurzimpulse: Impuls 1" in html


def test_registering_is_the_answer_to_the_invitation(app, now, orga):
    from peerlab.ical import invitations

    made = make_series(now, orga, capacity=1)
    leader = quick_user(now, name="Lea")
    registrations.register(made.impulses[0], leader, now=now)
    db.session.commit()
    assert invitations.open_invitations(leader) == []
    (invitation,) = invitations.user_invitations(leader)
    assert invitation.partstat == "ACCEPTED"
