"""Several peerlab processes on the real PostgreSQL and Redis, for fault tests.

- `scratch_database(prefix)`: a throw-away PostgreSQL database with the schema, dropped after.
- `empty_tables(url)`: every table emptied (one module's database serves several tests).
- `SchedulerProcess`: the shipped `peerlab scheduler` command as a subprocess, killable.
- `database_fixtures(prefix)`: a module's `pg_url` (one scratch database per module) and `sql`
  (an engine on it, every table emptied first) fixtures; `scalar(engine, query)`.
- `own_channel()`: a Socket.IO channel of this test's own. Redis pub/sub channels are not
  per database: without it, another test run on the same Redis would reach these rooms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.live import ROOT
from tests.support.services import need_postgres

PEERLAB = str(Path(sys.executable).with_name("peerlab"))


@contextmanager
def scratch_database(tmp_path: Path, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database with peerlab's schema; yields its URL."""
    from peerlab.extensions import db
    from tests.conftest import make_app

    base_url = need_postgres()
    server = base_url.rsplit("/", 1)[0]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{server}/{name}"
    try:
        app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_tables(url: str) -> None:
    from peerlab.extensions import db

    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def database_fixtures(prefix: str):
    """`pg_url, sql = database_fixtures("peerlab_x")` at a test module's top: the module gets
    one scratch database, and each test that asks for `sql` starts with empty tables."""

    @pytest.fixture(scope="module")
    def pg_url(tmp_path_factory):
        with scratch_database(tmp_path_factory.mktemp("pg"), prefix) as url:
            yield url

    @pytest.fixture
    def sql(pg_url):
        empty_tables(pg_url)
        engine = create_engine(pg_url)
        yield engine
        engine.dispose()

    return pg_url, sql


def scalar(engine, query: str, **params):
    """One value of `query` on `engine`, outside any test transaction."""
    with engine.connect() as conn:
        return conn.execute(text(query), params).scalar()


def own_channel() -> str:
    return f"peerlab-faults-{uuid.uuid4().hex[:10]}"


class SchedulerProcess:
    """`peerlab scheduler` against the given database and queue (its clock is the system's)."""

    def __init__(self, tmp: Path, *, db_url: str, queue: str, channel: str, instance: Path):
        self.env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "SOCKETIO_MESSAGE_QUEUE": queue,
            "SOCKETIO_CHANNEL": channel,
            "PEERLAB_INSTANCE": str(instance),
            "PEERLAB_SECRET_KEY": "live-test-secret",
            "SCHEDULER": "external",
        }
        self.env.pop("SMTP_HOST", None)  # mails go to the in-app mailbox
        self.tmp = tmp
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.tmp / f"scheduler-{self.starts}.log"

    def start(self, timeout: float = 30.0) -> SchedulerProcess:
        self.starts += 1
        self._log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [PEERLAB, "scheduler"], cwd=ROOT, env=self.env, stdout=self._log, stderr=self._log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "peerlab scheduler running" in self.log_path.read_text():
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"scheduler exited:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        raise RuntimeError(f"scheduler did not start:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: whatever it was doing stops in the middle."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "_log", None) and not self._log.closed:
            self._log.close()

    def errors(self) -> list[str]:
        """Logged tracebacks and errors of every start so far."""
        lines: list[str] = []
        for n in range(1, self.starts + 1):
            path = self.tmp / f"scheduler-{n}.log"
            lines += [line for line in path.read_text().splitlines() if " ERROR " in line]
        return lines
