"""One lock for every live subject: bump its version first thing in a change."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Integer, bindparam, update

from peerlab.core.errors import NotFound
from peerlab.extensions import db

Versioned = TypeVar("Versioned")


def lock_versioned(model: type[Versioned], subject_id: int) -> Versioned:
    """Raise `model`'s `version` for one row and return it fresh. The UPDATE takes the database
    write lock (SQLite) or the row lock (PostgreSQL), so the checks that follow see the latest
    state and two changes never share a version. Missing rows are NotFound."""
    bump_version(model, subject_id)
    # One SELECT that also overwrites a row this session already holds (populate_existing).
    return db.session.get(model, subject_id, populate_existing=True)


def bump_version(model: Any, subject_id: int) -> None:
    """Only the UPDATE of `lock_versioned` (NotFound for a missing row): for a caller that
    reads the row itself, together with what else it needs, in one statement."""
    changed = db.session.execute(_bump(model), {"b_subject_id": subject_id}).rowcount
    if changed != 1:
        raise NotFound()


@cache
def _bump(model: Any) -> Any:
    """`model`'s version UPDATE, built once per model with the row id as a bound parameter
    (building it per change cost CPU on every live event, bench/cpu_per_vote.py), on the
    model's table: the ORM's bulk UPDATE path cost more CPU than the statement itself."""
    table = model.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("b_subject_id", type_=Integer))
        .values(version=table.c.version + 1)
    )
