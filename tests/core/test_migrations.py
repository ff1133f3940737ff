"""Migrations and models agree, on SQLite and on PostgreSQL, and downgrade works."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.services import need_postgres


def _diff(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(ctx, db.metadata)


def test_sqlite_migrations_match_models(tmp_path):
    app = make_app(tmp_path / "m", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/mig.sqlite3")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="head")  # one linear history
    assert _diff(app) == []
    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
            assert {row[0] for row in tables} <= {"alembic_version"}


@pytest.mark.postgres
def test_postgres_migrations_match_models(tmp_path):
    base_url = need_postgres()
    name = f"peerlab_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = base_url.rsplit("/", 1)[0] + "/" + name
        app = make_app(tmp_path / "pg", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            db.drop_all()
            upgrade(revision="head")  # one linear history
        assert _diff(app) == []
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
