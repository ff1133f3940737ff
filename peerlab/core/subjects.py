"""Subject lifecycle: deleting a subject (a round, later a circle, group or series) reaches
every row that refers to it by kind and id.

References by (kind, id) have no foreign key, so nothing in the database removes them; a row
left behind would point at whatever gets that id next (SQLite reuses the newest deleted id).
Each feature registers, in its init_app, the tables that hold such references and what to do
with them (delete, or a custom action such as nullifying a sent mail's reference); the feature
that owns the subject calls `delete_subject` in the transaction that deletes the subject's row.
tests/core/test_subjects.py fails on any `*_kind` + `*_id` column pair that is not registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete

from peerlab.core import registry
from peerlab.extensions import db

# fn(kinds, subject_id, now) -> number of rows reached
Action = Callable[[frozenset[str], int, datetime], int]


@dataclass(frozen=True)
class Reference:
    name: str
    tables: tuple[str, ...]  # what the coverage test counts as registered
    action: Action


# The app's registry holds the references ("subject_references", name -> Reference) and, per
# subject kind, the further kinds the same subject is known under in referring tables
# ("subject_kinds"; Lean Coffee's timebox kind "lean_coffee.topic" carries the round's id).


def register_kind(kind: str, *, also: Iterable[str] = ()) -> None:
    """Declare a subject kind; `also` names kinds under which other tables refer to it."""
    registry.current().add("subject_kinds", kind, frozenset(also))


def register_action(name: str, tables: Iterable[str], action: Action) -> None:
    """A custom action over `tables` (e.g. delete rows found through another column)."""
    registry.current().add("subject_references", name, Reference(name, tuple(tables), action))


def register_reference(
    name: str,
    model,
    kind_column: str,
    id_column: str,
    *,
    only: Callable[[], ColumnElement[bool]] | None = None,
) -> None:
    """Rows of `model` whose (kind_column, id_column) name the subject are deleted
    (restricted to `only()` if given, e.g. unsent mails)."""
    kind_col = getattr(model, kind_column)
    id_col = getattr(model, id_column)

    def action(kinds: frozenset[str], subject_id: int, now: datetime) -> int:
        stmt = delete(model).where(kind_col.in_(sorted(kinds)), id_col == subject_id)
        if only is not None:
            stmt = stmt.where(only())
        result = db.session.execute(stmt.execution_options(synchronize_session="fetch"))
        return result.rowcount or 0

    register_action(name, (model.__tablename__,), action)


def references() -> dict[str, Reference]:
    """The references registered in the current app."""
    return dict(registry.current().items("subject_references"))


def registered_tables() -> set[str]:
    return {table for ref in references().values() for table in ref.tables}


def kinds_of(kind: str) -> frozenset[str]:
    return frozenset({kind}) | (registry.current().get("subject_kinds", kind) or frozenset())


def delete_subject(kind: str, subject_id: int, *, now: datetime) -> dict[str, int]:
    """Remove or neutralise everything that refers to the subject (flush, no commit);
    returns the rows reached per registered reference. The caller deletes the subject."""
    kinds = kinds_of(kind)
    reached = {name: ref.action(kinds, subject_id, now) for name, ref in references().items()}
    db.session.flush()
    return reached
