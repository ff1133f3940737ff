"""SQLite transactions are real transactions, begin IMMEDIATE, and never stall a gevent process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from sqlalchemy import func, select

from peerlab.extensions import db
from peerlab.ical import invitations
from peerlab.ical.models import CalendarSequence, Invitation
from peerlab.notify import sender
from peerlab.notify.models import OutboxMail
from tests.ical import circle_source
from tests.ical.circle_source import SERIES_START, FakeCircle
from tests.support.live import ROOT

KIND = "testcircle.meeting"
# The test circle source, registered in this test's app only (pytest fixtures).
circles = circle_source.circles
app_features = circle_source.app_features


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_a_failed_request_keeps_neither_the_invitation_nor_its_mail(app, make_user, circles, now):
    member = make_user(name="Anna Beispiel")
    circles.add(FakeCircle(3, "Kreis", SERIES_START.replace(year=now.year + 1), {member.id}))
    db.session.commit()  # the request starts with nothing pending, as a real one does

    # The invitation is written inside a savepoint (ical decides races with savepoints), then
    # its mail goes to the outbox; then the request fails and its transaction is rolled back
    # (what Flask-SQLAlchemy's teardown does).
    invitations.invite(KIND, 3, member, now=now, organizer=None)
    assert _count(OutboxMail) == 1
    db.session.rollback()

    assert _count(Invitation) == 0
    assert _count(CalendarSequence) == 0
    assert _count(OutboxMail) == 0


def test_two_writers_under_gevent_do_not_stall_the_process(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.core.gevent_writers",
            str(tmp_path / "writers.sqlite3"),
            str(tmp_path / "instance"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["errors"] == []
    assert found["rows"] == 2  # both writes landed
    assert found["b_done"] >= found["a_done"]  # B waited for A's lock, A was not overtaken
    # While B waited for the lock the process went on (A finished its transaction, the
    # ticker ran every 10 ms; quiet: gaps of about 10-50 ms). A blocking wait freezes the
    # whole process until the lock is free, and A cannot free it while frozen: seconds (the
    # busy timeout). The bound is far from both, so a loaded machine (gaps up to 0.7 s seen
    # when other suites shared the two cores) does not fail it and a freeze still does.
    assert found["longest_gap"] < 1.5, found
    assert found["a_done"] < 5, found  # A was not held up behind B


def test_no_write_lock_is_held_while_smtp_talks(mail_app, smtp, circles, monkeypatch):
    from peerlab.accounts import service

    now = mail_app.extensions["peerlab.clock"].now()
    member = service.create_user(email="amt@lindenau.example", name="Amt", now=now)
    circles.add(FakeCircle(4, "Kreis", SERIES_START.replace(year=now.year + 1), {member.id}))
    invitations.invite(KIND, 4, member, now=now, organizer=None)
    db.session.commit()
    db_file = db.engine.url.database
    lock_free: list[bool] = []
    transmit = sender._transmit

    def transmit_and_probe(*args, **kwargs):
        # Another writer (another process, or another greenlet) must get the lock at once
        # while this process waits for the mail server.
        other = sqlite3.connect(db_file, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            lock_free.append(True)
        except sqlite3.OperationalError:
            lock_free.append(False)
        finally:
            other.close()
        return transmit(*args, **kwargs)

    monkeypatch.setattr(sender, "_transmit", transmit_and_probe)
    assert sender.send_due(now) == 1
    assert lock_free == [True]
    assert len(smtp.recorder.messages) == 1
