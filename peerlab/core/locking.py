"""One lock for every live subject: bump its version first thing in a change."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import update

from peerlab.core.errors import NotFound
from peerlab.extensions import db

Versioned = TypeVar("Versioned")


def lock_versioned(model: type[Versioned], subject_id: int) -> Versioned:
    """Raise `model`'s `version` for one row and return it fresh. The UPDATE takes the database
    write lock (SQLite) or the row lock (PostgreSQL), so the checks that follow see the latest
    state and two changes never share a version. Missing rows are NotFound."""
    column: Any = model.version  # type: ignore[attr-defined]
    changed = db.session.execute(
        update(model)
        .where(model.id == subject_id)  # type: ignore[attr-defined]
        .values(version=column + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise NotFound()
    # One SELECT that also overwrites a row this session already holds (populate_existing).
    return db.session.get(model, subject_id, populate_existing=True)
