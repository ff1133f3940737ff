"""Who may do what with a series: one access function per protected thing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_

from peerlab.core.errors import Forbidden, NotFound
from peerlab.extensions import db
from peerlab.impulses.models import Impulse, Series

CREATORS = ("organizer", "admin")


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def may_create(user: Any) -> bool:
    return _signed_in(user) and user.role in CREATORS


def may_view(series: Series, user: Any) -> bool:
    """A public series is visible to everyone (registering needs an account); a network-only
    series to people signed in."""
    return series.audience == "public" or _signed_in(user)


def organizes(series: Series, user: Any) -> bool:
    """The organizer who created the series, and admins."""
    if not _signed_in(user):
        return False
    return user.role == "admin" or (user.role == "organizer" and series.created_by_id == user.id)


def may_register(series: Series, user: Any) -> bool:
    return _signed_in(user) and may_view(series, user)


def visible(stmt: Select, user: Any) -> Select:
    return stmt if _signed_in(user) else stmt.where(or_(Series.audience == "public"))


def series_for_view(series_id: int, user: Any) -> Series:
    series = db.session.get(Series, series_id)
    if series is None or not may_view(series, user):
        raise NotFound()
    return series


def series_for_organizer(series_id: int, user: Any) -> Series:
    series = series_for_view(series_id, user)
    if not organizes(series, user):
        raise Forbidden()
    return series


def impulse_for_view(impulse_id: int, user: Any) -> Impulse:
    impulse = db.session.get(Impulse, impulse_id)
    if impulse is None or not may_view(impulse.series, user):
        raise NotFound()
    return impulse


def impulse_for_organizer(impulse_id: int, user: Any) -> Impulse:
    impulse = impulse_for_view(impulse_id, user)
    if not organizes(impulse.series, user):
        raise Forbidden()
    return impulse
