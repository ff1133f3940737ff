"""An app on a fresh PostgreSQL database of its own, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.services import need_postgres


@contextmanager
def postgres_app(tmp_path, prefix: str = "peerlab_t") -> Iterator:
    base_url = need_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=base_url.rsplit("/", 1)[0] + "/" + name)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
