"""Calendar: the shared iCal builder, downloads, personal feeds, invitations (issue 3)."""

from __future__ import annotations


def init_app(app) -> None:  # noqa: ARG001
    pass
