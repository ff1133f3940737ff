"""Lean Coffee rounds, live in the browser (issue 4)."""

from __future__ import annotations


def init_app(app) -> None:  # noqa: ARG001
    pass
