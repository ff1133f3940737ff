"""`peerlab backup` copies the SQLite database while it is in use (a writer holds the lock),
keeps only copies younger than the retention period, and `peerlab restore` puts a copy into a
fresh instance that then serves the same data."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from peerlab import create_app
from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service import rounds
from tests.conftest import PASSWORD, sign_in

STAMP = "%Y%m%dT%H%M%SZ"


def fill(app, now) -> None:
    from peerlab.accounts import service

    with app.app_context():
        orga = service.create_user(
            email="orga@kommune.example",
            name="Olga Orga",
            role="organizer",
            password=PASSWORD,
            now=now,
        )
        mia = service.create_user(
            email="mia@kommune.example", name="Mia Muster", password=PASSWORD, now=now
        )
        rounds.create_round(
            rounds.RoundSettings(title="Gesicherte Runde", starts_at=now + timedelta(days=1)),
            creator=orga,
            invitees=[mia],
            now=now,
        )
        db.session.commit()


def test_backup_while_writing_and_restore_into_a_fresh_instance(app, tmp_path, now):
    fill(app, now)
    live_file = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(live_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process is in the middle of a change
    writer.execute("UPDATE lean_coffee_rounds SET title = 'nicht bestätigt'")
    target = tmp_path / "sicherungen"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    writer.execute("ROLLBACK")
    writer.close()
    assert result.exit_code == 0, result.output
    copies = list(target.iterdir())
    assert len(copies) == 1 and re.fullmatch(r"peerlab-\d{8}T\d{6}Z\.sqlite3", copies[0].name)
    assert "geprüft" in result.output
    assert oct(copies[0].stat().st_mode & 0o777) == "0o600"

    fresh_dir = tmp_path / "neu"
    fresh_url = f"sqlite:///{fresh_dir / 'peerlab.sqlite3'}"
    os.environ["PEERLAB_INSTANCE"] = str(fresh_dir / "instance")
    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": fresh_url,
            "RATELIMIT_ENABLED": False,
        }
    )
    with fresh.app_context():  # the command runs in the fresh instance, not the fixture's app
        restored = fresh.test_cli_runner().invoke(args=["restore", str(copies[0])])
    assert restored.exit_code == 0, restored.output
    with fresh.app_context():
        assert db.session.scalar(select(Round.title)) == "Gesicherte Runde"  # committed only
        mia = db.session.scalar(select(User).where(User.email == "mia@kommune.example"))
        assert mia is not None
    client = fresh.test_client()
    with fresh.app_context():
        sign_in(client, mia)  # her password hash came along
        page = client.get("/runden")
    assert page.status_code == 200 and "Gesicherte Runde" in page.get_data(as_text=True)

    with fresh.app_context():
        again = fresh.test_cli_runner().invoke(args=["restore", str(copies[0])])
    assert again.exit_code != 0 and "gibt es schon" in again.output


def test_old_copies_go_after_the_retention_period(app, tmp_path, now):
    target = tmp_path / "sicherungen"
    target.mkdir()
    old = target / f"peerlab-{(now - timedelta(days=15)).strftime(STAMP)}.sqlite3"
    recent = target / f"peerlab-{(now - timedelta(days=13)).strftime(STAMP)}.sqlite3"
    foreign = target / "notizen.txt"
    for path in (old, recent, foreign):
        path.write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(target), "--keep-days", "14"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in target.iterdir())
    assert old.name not in names and recent.name in names and foreign.name in names
    assert len(names) == 3  # the new copy, the recent one, the foreign file


def test_postgresql_and_bad_files_are_refused_with_a_reason(app, tmp_path):
    from peerlab import backup

    try:
        backup.sqlite_path("postgresql+psycopg://u@127.0.0.1/peerlab")
    except backup.BackupError as err:
        assert "pg_dump" in str(err)
    else:
        raise AssertionError("PostgreSQL must be refused")
    broken = tmp_path / "kaputt.sqlite3"
    broken.write_bytes(b"keine Datenbank" * 100)
    fresh_url = f"sqlite:///{tmp_path / 'leer' / 'db.sqlite3'}"
    try:
        backup.restore(broken, fresh_url)
    except backup.BackupError as err:
        assert "keine lesbare SQLite-Datenbank" in str(err)
    else:
        raise AssertionError("a broken file must be refused")
    assert not Path(tmp_path / "leer" / "db.sqlite3").exists()
