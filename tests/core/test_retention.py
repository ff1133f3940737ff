"""Retention: a purge deletes for real. After it, no row, no mail body, and neither the SQLite
file nor its -wal file holds a marker of the deleted content (secure_delete + checkpoint)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from peerlab.core import due, retention
from peerlab.core.due import DueItem
from peerlab.core.retention import Purged
from peerlab.extensions import db
from peerlab.notify import outbox
from peerlab.notify.models import OutboxMail
from tests.support.pg_app import postgres_app

MARKER = "Geheimnis-7f3a9c-Stadtrat"
KIND = "test.note"
DAYS = 30


def _purge_notes(now):
    """The test format's purger: notes (here due items with the text in their payload) older
    than 30 days, with the mails about them."""
    ids = db.session.scalars(
        select(DueItem.id).where(
            DueItem.kind == KIND, DueItem.created_at < retention.cutoff(now, DAYS)
        )
    ).all()
    return outbox.delete_about(KIND, ids) + retention.delete_rows(DueItem, DueItem.id.in_(ids))


def _failing(now):
    raise RuntimeError("broken purger")


@dataclass
class NotesFeature:
    def init_app(self, app, registry) -> None:
        retention.register("test.broken", _failing)  # one broken purger stops no other
        retention.register("test.notes", _purge_notes)


@pytest.fixture
def app_features():
    return (NotesFeature(),)


def _database_bytes(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _write_notes(now, count: int = 40) -> None:
    for n in range(count):
        item = due.schedule(
            KIND,
            due_at=now + timedelta(days=400),
            now=now,
            subject=("test.subject", n + 1),
            payload={"text": f"{MARKER} Nummer {n} " + "x" * 300},
        )
        outbox.enqueue(
            to=f"person{n}@kommune.example",
            subject="Hinweis",
            text=f"Inhalt: {MARKER} ({n})",
            now=now,
            about=(KIND, item.id),
        )
    db.session.commit()


def test_every_connection_deletes_securely(app):
    assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_purge_leaves_no_row_no_mail_and_no_bytes(app, now):
    _write_notes(now)
    assert MARKER.encode() in _database_bytes(app)  # the check below could fail

    kept = retention.run(now + timedelta(days=DAYS - 1))  # not yet expired
    assert kept.rows == 0
    assert db.session.scalar(select(func.count()).select_from(DueItem)) == 40

    result = retention.run(now + timedelta(days=DAYS, seconds=1))
    assert result.rows == 80
    assert result.tables == {"due_items", "outbox"}
    assert db.session.scalar(select(func.count()).select_from(DueItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0
    raw = _database_bytes(app)
    assert MARKER.encode() not in raw
    assert b"Geheimnis" not in raw


def test_the_periodic_job_purges_at_most_every_interval(app, now):
    _write_notes(now, count=3)
    later = now + timedelta(days=DAYS + 1)
    assert due.run_due(later)["core.retention"] == 6
    _write_notes(later - timedelta(days=DAYS + 1), count=1)
    assert due.run_due(later + timedelta(seconds=10))["core.retention"] == 0  # too soon
    assert due.run_due(later + timedelta(minutes=6))["core.retention"] == 2
    assert MARKER.encode() not in _database_bytes(app)


def test_mails_are_found_by_subject_and_by_cause(app, now):
    outbox.enqueue(to="a@x.example", subject="s", text="t", now=now, about=(KIND, 5))
    outbox.enqueue(to="b@x.example", subject="s", text="t", now=now, cause_key="test.warn:5:1")
    outbox.enqueue(to="c@x.example", subject="s", text="t", now=now, cause_key="test.warn:50:1")
    db.session.commit()
    assert [m.to_addr for m in outbox.mails_about(KIND, [5])] == ["a@x.example"]
    assert outbox.delete_by_cause("test.warn:5:") == Purged(1, frozenset({"outbox"}))
    assert outbox.delete_about(KIND, [5]).rows == 1
    db.session.commit()
    assert [m.to_addr for m in db.session.scalars(select(OutboxMail))] == ["c@x.example"]
    with pytest.raises(ValueError):
        outbox.delete_by_cause("")


@pytest.mark.postgres
def test_postgres_purge_vacuums_the_affected_tables(tmp_path):
    with postgres_app(tmp_path) as app, app.app_context():
        now = app.extensions["peerlab.clock"].now()
        mail = outbox.enqueue(to="a@x.example", subject="s", text=MARKER, now=now)
        mail.sent_at = now - timedelta(days=31)
        db.session.commit()
        result = retention.run(now)
        assert result.rows == 1 and result.tables == {"outbox"}
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0
        vacuumed = db.session.scalar(
            text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'outbox'")
        )
        db.session.rollback()
        assert vacuumed is not None


def test_a_busy_checkpoint_is_owed_and_made_on_the_next_run(app, now):
    import sqlite3

    _write_notes(now, count=5)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM due_items").fetchone()  # an old snapshot
        assert retention.run(now + timedelta(days=DAYS + 1)).rows == 10
        assert MARKER.encode() in _database_bytes(app)  # the -wal file still holds it
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert retention.run(now + timedelta(days=DAYS + 2)).rows == 0
    assert MARKER.encode() not in _database_bytes(app)
