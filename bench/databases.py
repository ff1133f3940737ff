"""The database of one peerlab run: a SQLite file in the run's temporary directory (default) or
a throw-away PostgreSQL database on 127.0.0.1, created before and dropped after the run."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class TempDatabase:
    def __init__(self, kind: str, workdir: Path, admin_url: str = DEFAULT_POSTGRES):
        self.kind = kind
        self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        self._admin = None
        self._name = ""
        if kind == "postgresql":
            admin = make_url(admin_url)
            if admin.host not in LOCAL_HOSTS:
                raise ValueError("the benchmark only talks to 127.0.0.1")
            self._admin = admin
            self._name = f"peerlab_bench_{secrets.token_hex(6)}"
            self._execute(f'CREATE DATABASE "{self._name}"')
            self.url = admin.set(database=self._name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        import psycopg

        conninfo = self._admin.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self._admin is not None and self._name:
            self._execute(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')
            self._name = ""
