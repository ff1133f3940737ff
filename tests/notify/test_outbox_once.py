"""The outbox row is what is "once": one row per cause key, also across transactions, restarts
and concurrent writers; mails can wait for a later time; each records what it is about."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from peerlab.extensions import db
from peerlab.notify import outbox, sender
from peerlab.notify.models import OutboxMail
from tests.support.pg_app import postgres_app


def _mails(**where) -> list[OutboxMail]:
    stmt = select(OutboxMail).order_by(OutboxMail.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(OutboxMail, name) == value)
    return list(db.session.scalars(stmt))


def _enqueue(now, key="lean_coffee.summary:1:2", to="anna@kommune.example"):
    return outbox.enqueue(to=to, subject="Zusammenfassung", text="…", now=now, cause_key=key)


def test_the_same_cause_enqueued_twice_gives_one_mail(app, now):
    first = _enqueue(now)
    again = _enqueue(now)
    db.session.commit()
    assert again.id == first.id
    assert len(_mails(cause_key="lean_coffee.summary:1:2")) == 1


def test_the_same_cause_after_a_restart_gives_one_mail_with_its_message_id(app, now):
    first = _enqueue(now)
    message_id = first.message_id
    db.session.commit()
    db.session.remove()  # a new process: nothing of the first one's session is left
    later = _enqueue(now + timedelta(hours=1))
    db.session.commit()
    assert later.message_id == message_id
    assert len(_mails()) == 1


def test_different_causes_and_mails_without_a_cause_are_separate(app, now):
    _enqueue(now, key="a")
    _enqueue(now, key="b")
    outbox.enqueue(to="x@kommune.example", subject="s", text="t", now=now)
    outbox.enqueue(to="x@kommune.example", subject="s", text="t", now=now)
    db.session.commit()
    assert len(_mails()) == 4


def _race(app, count: int = 2) -> list[int]:
    """`count` writers in their own transactions enqueue one cause at the same moment."""
    barrier = threading.Barrier(count)
    ids, errors = [], []

    def writer():
        try:
            with app.app_context():
                now = app.extensions["peerlab.clock"].now()
                barrier.wait()
                ids.append(_enqueue(now, key="race").id)
                db.session.commit()
                db.session.remove()
        except Exception as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=writer) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    return ids


def test_concurrent_writers_of_one_cause_leave_one_mail(app):
    ids = _race(app)
    assert len(set(ids)) == 1
    assert len(_mails(cause_key="race")) == 1


@pytest.fixture
def pg_app(tmp_path):
    with postgres_app(tmp_path, "peerlab_mail") as app:
        yield app


@pytest.mark.postgres
def test_concurrent_writers_of_one_cause_leave_one_mail_on_postgres(pg_app):
    ids = _race(pg_app, count=4)
    assert len(set(ids)) == 1
    with pg_app.app_context():
        count = select(func.count()).select_from(OutboxMail).where(OutboxMail.cause_key == "race")
        assert db.session.scalar(count) == 1


def test_a_mail_scheduled_for_later_waits_until_then(app, clock):
    now = clock.now()
    mail = outbox.enqueue(
        to="anna@kommune.example",
        subject="Erinnerung",
        text="Morgen um 9",
        now=now,
        not_before=now + timedelta(hours=20),
        about=("lean_coffee.round", 7),
    )
    db.session.commit()
    assert (mail.about_kind, mail.about_id) == ("lean_coffee.round", 7)
    assert sender.send_due(clock.advance(3600)) == 0
    later = clock.advance(19 * 3600)
    assert sender.send_due(later) == 1
    db.session.refresh(mail)
    assert mail.sent_at == later and mail.attempts == 1


def test_a_mail_deleted_while_it_is_sent_does_not_stop_the_others(mail_app, smtp, monkeypatch):
    clock = mail_app.extensions["peerlab.clock"]
    now = clock.now()
    for n in range(3):
        outbox.enqueue(to=f"p{n}@kommune.example", subject=f"Mail {n}", text="t", now=now)
    db.session.commit()
    real_transmit = sender._transmit
    doomed = _mails()[0].id

    def transmit(mail):
        if mail.id == doomed:  # another process deletes its subject while SMTP talks
            with db.engine.begin() as other:
                other.execute(delete(OutboxMail).where(OutboxMail.id == doomed))
        real_transmit(mail)

    monkeypatch.setattr(sender, "_transmit", transmit)
    assert sender.send_due(now) == 3
    assert len(smtp.recorder.messages) == 3
    assert all(m.sent_at == now for m in _mails())
