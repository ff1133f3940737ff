"""The daily digest "Neues in peerlab": one mail a day at most, at the hour each person
chooses in their time zone, naming no format, no group and no count; switchable off on the
profile page, where bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from sqlalchemy import func, select

from peerlab.core import activity, due
from peerlab.core.due import DueItem
from peerlab.extensions import db
from peerlab.notify import digest
from peerlab.notify.models import DigestSetting, OutboxMail
from tests.conftest import csrf_from

# 06:30 UTC on a winter day = 07:30 in Berlin: the default 08:00 digest is due at 07:00 UTC.
MORNING = datetime(2026, 1, 13, 6, 30, tzinfo=UTC)
EIGHT_BERLIN = datetime(2026, 1, 13, 7, 0, tzinfo=UTC)


def _mails(user=None) -> list[OutboxMail]:
    stmt = select(OutboxMail).where(OutboxMail.kind == "digest").order_by(OutboxMail.id)
    if user is not None:
        stmt = stmt.where(OutboxMail.user_id == user.id)
    return list(db.session.scalars(stmt))


def _text(mail: OutboxMail) -> str:
    message = message_from_bytes(mail.raw, policy=default_policy)
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


def _report(*users, now) -> None:
    activity.report([u.id for u in users], now=now)
    db.session.commit()


def test_next_send_is_the_chosen_hour_in_the_persons_zone():
    assert digest.next_send(MORNING, tz="Europe/Berlin", hour=8, last_day="") == EIGHT_BERLIN
    assert digest.next_send(MORNING, tz="Europe/London", hour=9, last_day="") == datetime(
        2026, 1, 13, 9, 0, tzinfo=UTC
    )
    # past the hour, or today's digest sent: tomorrow
    assert digest.next_send(MORNING, tz="Europe/Berlin", hour=7, last_day="") == datetime(
        2026, 1, 14, 6, 0, tzinfo=UTC
    )
    assert digest.next_send(
        MORNING, tz="Europe/Berlin", hour=8, last_day="2026-01-13"
    ) == EIGHT_BERLIN + timedelta(days=1)
    summer = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    assert digest.next_send(summer, tz="Europe/Berlin", hour=8, last_day="") == datetime(
        2026, 7, 1, 6, 0, tzinfo=UTC
    )


def test_one_mail_at_eight_naming_nothing(app, make_user):
    mia = make_user(name="Mia Mitglied")
    _report(mia, now=MORNING)
    _report(mia, now=MORNING + timedelta(minutes=5))  # a second report: still one item
    items = db.session.scalars(select(DueItem).where(DueItem.kind == digest.DUE_KIND)).all()
    assert [i.due_at for i in items] == [EIGHT_BERLIN]
    due.run_due(EIGHT_BERLIN - timedelta(seconds=1))
    assert _mails() == []
    due.run_due(EIGHT_BERLIN)
    (mail,) = _mails()
    assert mail.subject == "Neues in peerlab" and mail.to_addr == mia.email
    text = _text(mail)
    assert "http://localhost/" in text and "Mia Mitglied" in text
    for word in ("Circle", "Gruppe ", "Lean Coffee", "Impuls", "Beitr", "1 ", "2 "):
        assert word not in text
    assert mail.cause_key == f"notify.digest:{mia.id}:2026-01-13"


def test_at_most_one_mail_a_day_news_after_it_waits_for_tomorrow(app, make_user):
    mia = make_user()
    _report(mia, now=MORNING)
    due.run_due(EIGHT_BERLIN)
    _report(mia, now=EIGHT_BERLIN + timedelta(hours=2))
    due.run_due(EIGHT_BERLIN + timedelta(hours=3))
    assert len(_mails(mia)) == 1
    pending = db.session.scalar(
        select(DueItem).where(DueItem.kind == digest.DUE_KIND, DueItem.done_at.is_(None))
    )
    assert pending.due_at == EIGHT_BERLIN + timedelta(days=1)
    due.run_due(EIGHT_BERLIN + timedelta(days=1))
    assert len(_mails(mia)) == 2
    due.run_due(EIGHT_BERLIN + timedelta(days=2))  # nothing new: no mail
    assert len(_mails(mia)) == 2


def test_the_same_day_never_gets_two_mails_even_if_the_handler_runs_twice(app, make_user, now):
    mia = make_user()
    _report(mia, now=MORNING)
    item = db.session.scalar(select(DueItem).where(DueItem.kind == digest.DUE_KIND))
    digest.send_digest(item, EIGHT_BERLIN)
    row = db.session.get(DigestSetting, mia.id)
    row.news_since, row.last_day = EIGHT_BERLIN, ""  # as if a second runner saw old state
    digest.send_digest(item, EIGHT_BERLIN + timedelta(minutes=1))
    db.session.commit()
    assert len(_mails(mia)) == 1


def test_no_mail_when_switched_off_and_switching_off_drops_the_planned_one(app, make_user):
    mia = make_user()
    _report(mia, now=MORNING)
    digest.change(mia, enabled=False, hour=8, now=MORNING)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DueItem)) == 0
    _report(mia, now=MORNING)
    due.run_due(EIGHT_BERLIN + timedelta(days=1))
    assert _mails() == []


def test_a_new_hour_moves_the_planned_mail(app, make_user):
    mia = make_user()
    mia.timezone = "Europe/London"
    db.session.commit()
    _report(mia, now=MORNING)
    digest.change(mia, enabled=True, hour=18, now=MORNING)
    db.session.commit()
    (item,) = db.session.scalars(select(DueItem).where(DueItem.done_at.is_(None))).all()
    assert item.due_at == datetime(2026, 1, 13, 18, 0, tzinfo=UTC)


def test_everyone_reported_gets_the_same_rows(app, make_user):
    """A format hiding an author reports all members: then nothing differs between them."""
    people = [make_user() for _ in range(5)]
    _report(*people, now=MORNING)
    items = db.session.scalars(select(DueItem).order_by(DueItem.subject_id)).all()
    assert [(i.kind, i.due_at, i.created_at, i.payload) for i in items] == [
        (digest.DUE_KIND, EIGHT_BERLIN, MORNING, {})
    ] * 5
    due.run_due(EIGHT_BERLIN)
    mails = _mails()
    assert len(mails) == 5 and len({m.subject for m in mails}) == 1


def test_a_space_reports_its_active_members_but_the_named_author(app, make_user):
    from peerlab.core import spaces

    writer, reader, gone = make_user(), make_user(), make_user()
    for person in (writer, reader):
        spaces.add_member("test.space", 7, user_id=person.id, status="active", now=MORNING)
    spaces.add_member("test.space", 7, user_id=gone.id, status="left", now=MORNING)
    db.session.commit()
    assert activity.report_space("test.space", 7, now=MORNING, besides=writer.id) == {reader.id}
    assert activity.report_space("test.space", 7, now=MORNING) == {reader.id, writer.id}


@pytest.fixture
def mia(make_user, client, login):
    user = make_user(name="Mia Mitglied")
    login(client, user)
    return user


def _post(client, **data):
    page = client.get("/konto").get_data(as_text=True)
    return client.post("/konto/neuigkeiten", data={"csrf_token": csrf_from(page), **data})


def test_profile_shows_the_setting_with_its_defaults(client, mia):
    page = client.get("/konto").get_data(as_text=True)
    assert 'id="digest-form"' in page and "Neues in peerlab" in page
    assert '<option selected value="8">08:00</option>' in page
    assert 'id="enabled" name="enabled" type="checkbox" value="y"' in page and "checked" in page


def test_profile_switches_off_and_sets_the_hour(client, mia):
    resp = _post(client, hour="6")
    assert resp.status_code == 303
    row = db.session.get(DigestSetting, mia.id)
    assert (row.enabled, row.hour) == (False, 6)
    page = client.get("/konto").get_data(as_text=True)
    assert "ist ausgeschaltet" in page
    resp = _post(client, enabled="y", hour="21")
    db.session.expire_all()
    assert (db.session.get(DigestSetting, mia.id).enabled, row.hour) == (True, 21)
    assert "21:00" in client.get("/konto").get_data(as_text=True)


@pytest.mark.parametrize("hour", ["24", "-1", "acht", "", "8.5", "9" * 400])
def test_bad_hours_change_nothing(client, mia, hour):
    resp = _post(client, enabled="y", hour=hour)
    assert resp.status_code == 303
    assert db.session.get(DigestSetting, mia.id) is None
    page = client.get("/konto").get_data(as_text=True)
    assert "volle Stunde zwischen 0 und 23 Uhr" in page


def test_without_csrf_token_nothing_changes(client, mia):
    resp = client.post("/konto/neuigkeiten", data={"hour": "6"})
    assert resp.status_code in (303, 400)
    assert db.session.get(DigestSetting, mia.id) is None


def test_signed_out_cannot_post(client, make_user):
    resp = client.post("/konto/neuigkeiten", data={"hour": "6"})
    assert resp.status_code in (302, 400, 401)
    assert db.session.scalar(select(func.count()).select_from(DigestSetting)) == 0


def test_a_new_time_zone_moves_the_mail_to_the_hour_there(app, make_user):
    mia = make_user()
    _report(mia, now=MORNING)  # planned for 08:00 Berlin = 07:00 UTC
    mia.timezone = "Europe/London"
    db.session.commit()
    due.run_due(EIGHT_BERLIN)
    assert _mails() == []
    due.run_due(EIGHT_BERLIN + timedelta(hours=1))  # 08:00 in London
    assert len(_mails(mia)) == 1


def test_a_late_run_still_sends_the_days_mail(app, make_user):
    mia = make_user()
    _report(mia, now=MORNING)
    due.run_due(EIGHT_BERLIN + timedelta(hours=3))  # the scheduler was down for a while
    assert len(_mails(mia)) == 1


def test_the_mail_speaks_the_persons_language(app, make_user):
    mia = make_user()
    mia.language = "en"
    db.session.commit()
    _report(mia, now=MORNING)
    due.run_due(EIGHT_BERLIN)
    (mail,) = _mails(mia)
    assert mail.subject == "New in peerlab"
    assert "at most once a day" in _text(mail)
