"""Counting the SQL statements of a page: the main pages cost the same at two sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from sqlalchemy import event

from peerlab.extensions import db


@contextmanager
def counting():
    """Every statement the app sends to the database inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_costs(http, paths: Iterable[str], status: int = 200) -> dict[str, int]:
    """The number of statements of each page, each from an empty session (a new request)."""
    costs = {}
    for path in paths:
        db.session.remove()
        with counting() as seen:
            response = http.get(path)
        assert response.status_code == status, (path, response.status_code)
        costs[path] = len(seen)
    db.session.remove()
    return costs


def same_cost_at_two_sizes(
    http, paths: Callable[[], list[str]], grow: Callable[[], None]
) -> tuple[list[int], list[int]]:
    """Count the pages, `grow` their items, count again: the two lists must be equal."""
    few = list(page_costs(http, paths()).values())
    grow()
    db.session.commit()
    many = list(page_costs(http, paths()).values())
    assert few == many, (paths(), few, many)
    return few, many
