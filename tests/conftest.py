"""Shared fixtures: app factory with a fresh database, clock, users, sign-in, SMTP, live server."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

os.environ.setdefault("PEERLAB_SECRET_KEY", "test-secret-key-not-for-production")

from peerlab import create_app
from peerlab.extensions import db
from tests.support.live import LiveServer
from tests.support.services import free_port
from tests.support.smtp import SMTPServer

PASSWORD = "richtig-langes-passwort"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SMTPServer) -> SMTPServer:
    smtp_server.recorder.clear()
    return smtp_server


def make_app(tmp_path: Path, *, features=(), **overrides):
    config = {
        "TESTING": True,
        "TESTING_CONTROLS": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    os.environ["PEERLAB_INSTANCE"] = str(tmp_path / "instance")
    app = create_app(config, features=features)

    @app.teardown_request
    def _fresh_g(exc):
        # The `app` fixture keeps one app context pushed, so every request would share its `g`
        # (Flask-Login's cached user, Flask-WTF's CSRF token) across clients; production gets
        # a fresh `g` per request, tests now too.
        from flask import g

        g.__dict__.clear()

    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def app_features() -> tuple:
    """Extra features (objects with init_app(app, registry)) built into the test app.

    Registrations are frozen once the app is built, so a directory that needs, say, a test
    calendar source overrides this fixture instead of registering into a running app."""
    return ()


@pytest.fixture
def app(tmp_path: Path, app_features):
    app = make_app(tmp_path, features=app_features)
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()


@pytest.fixture
def mail_app(tmp_path: Path, smtp: SMTPServer, app_features):
    """An app that sends real mail to the test SMTP server."""
    app = make_app(tmp_path, features=app_features, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()


@pytest.fixture
def clock(app):
    return app.extensions["peerlab.clock"]


@pytest.fixture
def now(clock):
    return clock.now()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    from peerlab.accounts import service

    counter = {"n": 0}

    def factory(
        role: str = "member",
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        totp: bool | None = None,
        **fields,
    ):
        counter["n"] += 1
        n = counter["n"]
        clock = app.extensions["peerlab.clock"]
        user = service.create_user(
            email=email or f"person{n}@kommune{n}.example",
            name=name or f"Person {n}",
            role=role,
            password=password,
            now=clock.now(),
            **fields,
        )
        if totp if totp is not None else role in ("admin", "organizer"):
            user.totp_secret = pyotp.random_base32()
            user.totp_enabled = True
        db.session.commit()
        return user

    return factory


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def sign_in(client, user, password: str = PASSWORD):
    """Sign in through the real form (and the second factor when the account has one)."""
    page = client.get("/anmelden")
    resp = client.post(
        "/anmelden",
        data={
            "email": user.email,
            "password": password,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    if (
        user.totp_enabled
        and resp.status_code == 302
        and "/anmelden/zweiter-faktor" in resp.location
    ):
        page = client.get(resp.location)
        code = pyotp.TOTP(user.totp_secret).at(client.application.extensions["peerlab.clock"].now())
        resp = client.post(
            resp.location, data={"code": code, "csrf_token": csrf_from(page.get_data(as_text=True))}
        )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return resp


@pytest.fixture
def login():
    return sign_in


@pytest.fixture
def live_factory(tmp_path: Path):
    servers: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        server = LiveServer(tmp_path / f"live{len(servers)}", **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
