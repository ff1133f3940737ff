"""Alembic environment for peerlab: the app's engine and metadata, batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from flask import current_app

db = current_app.extensions["migrate"].db
target_metadata = db.metadata


def run_offline() -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_foreign_keys(connection, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement; effective only outside a transaction, so it
    goes straight to the driver (the engine's "begin" event would open one first)."""
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run_online() -> None:
    with db.engine.connect() as connection:
        # SQLite changes a table by copying it and dropping the old one; with foreign keys
        # enforced, that DROP would cascade into every table referring to it (votes, topics…).
        # So migrations run with enforcement off, as SQLite documents for schema changes, and
        # the result is checked before it is committed.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
