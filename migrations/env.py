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


def run_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
