"""A route's change as one transaction: committed when the service call returns, rolled back
when it refuses with a DomainError. The refusal goes back to the route (a message on its form)
or, for a button, to the person as a flash message on the page they came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash, redirect
from werkzeug.wrappers import Response

from peerlab.core.errors import DomainError
from peerlab.extensions import db

T = TypeVar("T")
Refusals = type[DomainError] | tuple[type[DomainError], ...]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `attempt` gives back: the call's value, or the refusal that rolled it back."""

    value: T | None = None
    refusal: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        """The refusal's text for people ("" when the call went through)."""
        return self.refusal.message if self.refusal is not None else ""


@dataclass(frozen=True)
class Next:
    """Where a button leads after its change is committed, and what it says there."""

    url: str
    message: str = ""
    category: str = "success"


def attempt(
    call: Callable[[], T],
    *,
    catch: Refusals = DomainError,
    passes: tuple[type[DomainError], ...] = (),
) -> Outcome[T]:
    """Run `call` as one transaction: commit when it returns; roll back and hand back the
    refusal when it raises one of `catch`. Errors in `passes` (e.g. NotFound) go on untouched
    to the app's error pages, which roll back themselves."""
    try:
        value = call()
    except passes:
        raise
    except catch as refusal:
        db.session.rollback()
        return Outcome(refusal=refusal)
    db.session.commit()
    return Outcome(value=value)


def run_or_flash(
    call: Callable[[], Next],
    *,
    back: str,
    catch: Refusals = DomainError,
    passes: tuple[type[DomainError], ...] = (),
) -> Response:
    """A button's change through `attempt`: committed, its message flashed and on to its next
    page; refused, nothing changed, the refusal flashed as an error and back to `back`."""
    outcome = attempt(call, catch=catch, passes=passes)
    done = outcome.value
    if done is None:
        flash(outcome.message, "error")
        return redirect(back)
    if done.message:
        flash(done.message, done.category)
    return redirect(done.url)
