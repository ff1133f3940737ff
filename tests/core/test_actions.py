"""core.actions: a route's change is one transaction; a refusal rolls it back and is said."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages

from peerlab.accounts.models import User
from peerlab.core.actions import Next, attempt, run_or_flash
from peerlab.core.errors import Conflict, InvalidInput, NotFound
from peerlab.extensions import db


def _name_in_a_fresh_session(user_id: int) -> str:
    db.session.remove()
    return db.session.get(User, user_id).name


def _raising(error: Exception):
    def call():
        raise error

    return call


def test_a_call_that_returns_is_committed_and_its_value_handed_back(app, make_user):
    user = make_user(name="Vorher")

    def rename():
        user.name = "Nachher"
        return 42

    outcome = attempt(rename)

    assert outcome.ok and outcome.value == 42 and outcome.message == ""
    assert _name_in_a_fresh_session(user.id) == "Nachher"


def test_a_refusal_is_rolled_back_and_its_message_handed_back(app, make_user):
    user = make_user(name="Vorher")

    def rename():
        user.name = "Nachher"
        db.session.flush()
        raise Conflict("Das geht gerade nicht.")

    outcome = attempt(rename)

    assert not outcome.ok and outcome.value is None
    assert outcome.message == "Das geht gerade nicht."
    assert _name_in_a_fresh_session(user.id) == "Vorher"


def test_only_the_named_refusals_are_caught(app, make_user):
    make_user()
    with pytest.raises(Conflict):
        attempt(_raising(Conflict()), catch=InvalidInput)


def test_passed_errors_go_on_to_the_error_pages(app, make_user):
    make_user()
    with pytest.raises(NotFound):
        attempt(_raising(NotFound()), passes=(NotFound,))


def _press(app, call):
    """A button's request: the response and what it flashed."""
    with app.test_request_context("/"):
        response = run_or_flash(call, back="/zurueck")
        return response, get_flashed_messages(with_categories=True)


def test_a_button_goes_on_with_its_message_after_the_commit(app, make_user):
    user = make_user(name="Vorher")

    def rename() -> Next:
        user.name = "Nachher"
        return Next("/weiter", "Gespeichert.")

    response, flashed = _press(app, rename)

    assert response.status_code == 302 and response.location == "/weiter"
    assert flashed == [("success", "Gespeichert.")]
    assert _name_in_a_fresh_session(user.id) == "Nachher"


def test_a_refused_button_changes_nothing_and_says_why_on_the_page_before(app, make_user):
    user = make_user(name="Vorher")

    def rename() -> Next:
        user.name = "Nachher"
        db.session.flush()
        raise InvalidInput("Bitte anders.")

    response, flashed = _press(app, rename)

    assert response.status_code == 302 and response.location == "/zurueck"
    assert flashed == [("error", "Bitte anders.")]
    assert _name_in_a_fresh_session(user.id) == "Vorher"
