"""Data export (JSON) and account deletion through every feature's lifecycle hooks."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from peerlab.accounts.models import AuditEntry, AuthSession, OneTimeToken, User
from peerlab.extensions import db
from peerlab.notify.models import OutboxMail
from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD
from tests.support.sockets import live_client


class ExampleFormat:
    """A feature holding data about people: its hooks record how they were called."""

    def __init__(self) -> None:
        self.erased: list[tuple] = []

    def init_app(self, app, registry) -> None:
        registry.exporter("testformat", lambda user: {"topics": [user.id]})
        registry.eraser("testformat", lambda user, keep, now: self.erased.append((user, keep)))


@pytest.fixture
def testformat() -> ExampleFormat:
    return ExampleFormat()


@pytest.fixture
def app_features(testformat):
    return (testformat,)


def test_export_holds_account_sessions_audit_and_feature_data(client, make_user, login):
    user = make_user(name="Erika Export", municipality="Gemeinde Datenfeld", totp=True)
    login(client, user)
    resp = client.get("/konto/export")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "attachment" in resp.headers["Content-Disposition"]
    data = json.loads(resp.get_data(as_text=True))
    assert data["account"]["name"] == "Erika Export"
    assert data["account"]["municipality"] == "Gemeinde Datenfeld"
    assert len(data["sessions"]) == 1
    assert data["testformat"] == {"topics": [user.id]}
    raw = resp.get_data(as_text=True)
    assert user.password_hash not in raw and user.totp_secret not in raw
    for secret_field in ("password_hash", "totp_secret", "totp_last_step", "feed_token_hash"):
        assert secret_field not in raw


def test_export_needs_sign_in(client):
    assert client.get("/konto/export").status_code == 302


def test_delete_keeps_contributions_by_default_and_calls_erasers(
    app, client, make_user, login, testformat
):
    user = make_user(email="geht@kommune.example")
    login(client, user)
    other = app.test_client()
    login(other, user)
    sock = live_client(app, other)
    assert sock.is_connected()
    resp = post_form(client, "/konto/loeschen", {"password": PASSWORD})
    assert resp.status_code == 302
    assert [(user.email, keep) for user, keep in testformat.erased] == [
        ("geht@kommune.example", True)
    ]
    assert db.session.scalar(select(User).where(User.email == "geht@kommune.example")) is None
    assert db.session.query(AuthSession).count() == 0
    assert db.session.query(OneTimeToken).count() == 0
    assert (
        db.session.query(OutboxMail).filter(OutboxMail.to_addr == "geht@kommune.example").count()
        == 0
    )
    assert not sock.is_connected()
    assert other.get("/konto").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete_self"))
    assert entry is not None and entry.target_email == ""


def test_delete_with_contributions_passes_the_choice_on(client, make_user, login, testformat):
    login(client, make_user())
    post_form(client, "/konto/loeschen", {"password": PASSWORD, "delete_content": "y"})
    assert [keep for _user, keep in testformat.erased] == [False]


def test_wrong_password_deletes_nothing(client, make_user, login, testformat):
    user = make_user()
    login(client, user)
    resp = post_form(client, "/konto/loeschen", {"password": "falsch-falsch"})
    assert resp.status_code == 200 and "nichts gelöscht" in resp.get_data(as_text=True)
    assert testformat.erased == [] and db.session.get(User, user.id) is not None


def test_link_only_account_confirms_by_typing_the_address(client, make_user, login):
    user = make_user(email="ohne@kommune.example")
    login(client, user)
    user.password_hash = None
    db.session.commit()
    wrong = post_form(client, "/konto/loeschen", {"confirm_email": "andere@kommune.example"})
    assert wrong.status_code == 200 and db.session.get(User, user.id) is not None
    ok = post_form(client, "/konto/loeschen", {"confirm_email": "Ohne@Kommune.example"})
    assert ok.status_code == 302
    assert db.session.get(User, user.id) is None


def test_last_admin_cannot_delete_themselves(client, make_user, login):
    admin = make_user("admin")
    login(client, admin)
    resp = post_form(client, "/konto/loeschen", {"password": PASSWORD})
    assert resp.status_code == 409
    assert db.session.get(User, admin.id) is not None
