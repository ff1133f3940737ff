"""Due items given up after max_attempts are visible to admins (/verwaltung/aufgaben) and can be
started again; nobody else sees or touches them; the page shows no payload and a short error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerlab.accounts.models import AuditEntry
from peerlab.core import due
from peerlab.extensions import db
from tests.conftest import csrf_from
from tests.support.registry import patch_slot

KIND = "test.failing"
PAGE = "/verwaltung/aufgaben"


@pytest.fixture
def handler(app, monkeypatch):
    """A due kind that fails while `broken` is set (max 2 attempts)."""
    state = {"broken": True, "ran": []}

    def apply(item, now):
        if state["broken"]:
            raise RuntimeError(
                "SMTP refused anna.amsel@lindenau.example: " + "sehr langer Text " * 30
            )
        state["ran"].append(item.id)

    patch_slot(monkeypatch, app, "due_kinds", KIND, due.Kind(apply, max_attempts=2))
    return state


@pytest.fixture
def failed(app, clock, now, handler):
    """One item that failed twice and was given up; its payload holds private text."""
    item = due.schedule(
        KIND,
        due_at=now,
        now=now,
        subject=("lean_coffee.round", 17),
        payload={"text": "Vertraulicher Mailinhalt"},
    )
    db.session.commit()
    due.run_due(now)
    due.run_due(clock.advance(60))
    db.session.refresh(item)
    assert item.failed_at is not None and item.attempts == 2
    return item.id


def test_admin_sees_the_failed_item_without_payload_or_addresses(client, make_user, login, failed):
    login(client, make_user("admin"))
    html = client.get(PAGE).get_data(as_text=True)
    assert KIND in html and "lean_coffee.round 17" in html and f"Aufgabe {failed}" in html
    assert "RuntimeError: SMTP refused …@…: sehr langer Text" in html
    assert "anna.amsel" not in html and "lindenau.example" not in html
    assert "Vertraulicher Mailinhalt" not in html  # the payload is never shown
    error = due.failed_items()[0].error
    assert len(error) <= due.ERROR_SHOWN and error.endswith("…")
    people = client.get("/verwaltung/personen").get_data(as_text=True)
    assert PAGE in people and "Fehlgeschlagene Aufgaben (1)" in people  # the admin area says so


def test_retry_makes_it_due_now_and_the_next_run_applies_it(
    client, make_user, login, failed, handler, clock
):
    admin = make_user("admin")
    login(client, admin)
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    resp = client.post(f"{PAGE}/{failed}/erneut", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(PAGE)
    item = db.session.get(due.DueItem, failed)
    db.session.refresh(item)
    assert item.failed_at is None and item.attempts == 0 and item.due_at <= clock.now()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "due_retry"))
    assert entry.actor_id == admin.id and entry.detail == {"kind": KIND, "item": str(failed)}
    assert "wieder fällig" in client.get(PAGE).get_data(as_text=True)
    handler["broken"] = False
    due.run_due(clock.advance(1))
    assert handler["ran"] == [failed]
    assert "Keine fehlgeschlagenen Aufgaben" in client.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "organizer"])
def test_others_get_403_and_change_nothing(client, make_user, login, failed, role):
    login(client, make_user(role))
    assert client.get(PAGE).status_code == 403
    token = csrf_from(client.get("/konto").get_data(as_text=True))
    assert client.post(f"{PAGE}/{failed}/erneut", data={"csrf_token": token}).status_code == 403
    item = db.session.get(due.DueItem, failed)
    db.session.refresh(item)
    assert item.failed_at is not None


def test_signed_out_visitors_are_sent_to_sign_in(client, failed):
    resp = client.get(PAGE)
    assert resp.status_code == 302 and "/anmelden" in resp.headers["Location"]


def test_retry_of_a_missing_or_pending_item_is_404_and_needs_the_csrf_token(
    client, make_user, login, failed, now
):
    pending = due.schedule(KIND, due_at=now, now=now).id
    db.session.commit()
    login(client, make_user("admin"))
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    assert client.post(f"{PAGE}/999999/erneut", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{PAGE}/{pending}/erneut", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{PAGE}/{failed}/erneut", data={}).status_code == 400  # no token
    item = db.session.get(due.DueItem, failed)
    db.session.refresh(item)
    assert item.failed_at is not None and item.attempts == 2


def test_the_page_speaks_english(client, make_user, login, failed):
    login(client, make_user("admin", language="en"))
    html = client.get(PAGE).get_data(as_text=True)
    assert "Failed tasks" in html and "Try again" in html and "Last error" in html
