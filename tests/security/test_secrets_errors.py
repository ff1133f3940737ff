"""Argon2id hashes, a generated secret key, error pages in both languages without internals."""

from __future__ import annotations

import os
import stat

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import VerifyMismatchError

from peerlab.config import Defaults, load_secret_key
from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD, make_app, sign_in

INTERNALS = ("Traceback", 'File "', "werkzeug", "sqlalchemy", "RuntimeError", "boom-secret")


def test_passwords_are_hashed_with_argon2id(app, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    params = PasswordHasher().check_needs_rehash(user.password_hash)
    assert params is False
    PasswordHasher(type=Type.ID).verify(user.password_hash, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher(type=Type.ID).verify(user.password_hash, PASSWORD + "x")


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("PEERLAB_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(str(tmp_path))
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == first and len(first) >= 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret_key(str(tmp_path)) == first
    assert load_secret_key(str(tmp_path / "other")) != first


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERLAB_SECRET_KEY", "aus-der-umgebung")
    assert load_secret_key(str(tmp_path)) == "aus-der-umgebung"
    assert not (tmp_path / "secret_key").exists()


def test_app_without_configured_secret_uses_the_generated_one(tmp_path, monkeypatch):
    monkeypatch.delenv("PEERLAB_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PEERLAB_INSTANCE", str(tmp_path / "inst"))
    from peerlab import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["SECRET_KEY"] == (tmp_path / "inst" / "secret_key").read_text().strip()
    assert not hasattr(Defaults, "SECRET_KEY")


def _boom_app(tmp_path):
    app = make_app(tmp_path / "boom")

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom-secret internal detail")

    return app


@pytest.mark.parametrize(
    "lang, texts",
    [
        (
            "de",
            {
                400: "Das Formular ist abgelaufen",
                403: "Dafür fehlt Ihnen die Berechtigung",
                404: "Diese Seite gibt es nicht",
                500: "Ein interner Fehler ist aufgetreten",
            },
        ),
        (
            "en",
            {
                400: "The form has expired",
                403: "You do not have permission",
                404: "This page does not exist",
                500: "An internal error occurred",
            },
        ),
    ],
)
def test_error_pages_in_both_languages_without_internals(tmp_path, lang, texts):
    app = _boom_app(tmp_path)
    with app.app_context():
        from peerlab.accounts import service
        from peerlab.extensions import db

        service.create_user(
            email="m@kommune.example", password=PASSWORD, now=app.extensions["peerlab.clock"].now()
        )
        db.session.commit()
        client = app.test_client()
        post_form(client, "/anmelden", {"email": "m@kommune.example", "password": PASSWORD})
        post_form(client, "/sprache", {"lang": lang, "next": "/"}, page_url="/")
        responses = {
            400: client.post("/konto", data={"name": "x"}),
            403: client.get("/verwaltung/personen"),
            404: client.get("/gibt-es-nicht"),
            500: client.get("/boom"),
        }
        for status, resp in responses.items():
            html = resp.get_data(as_text=True)
            assert resp.status_code == status
            assert f'lang="{lang}"' in html
            assert texts[status] in html, (status, html[-1500:])
            for leak in INTERNALS:
                assert leak not in html, (status, leak)


def test_a_lost_database_gives_a_503_page_that_does_not_ask_the_database_again(
    app, client, make_user, monkeypatch
):
    """During an outage the error page must not load the signed-in account (for the menu and
    the language) from the lost database again: that failed inside the error handler too, and
    the person got the server's bare default page."""
    from sqlalchemy.exc import OperationalError

    sign_in(client, make_user())
    loads = []

    def lost(token):
        loads.append(token)
        raise OperationalError("SELECT", {}, Exception("connection refused: db-secret-host"))

    # the database is gone from here on; the login manager is shared by every app in the
    # session, so the real loader must come back after this test
    monkeypatch.setattr(app.login_manager, "_user_callback", lost)
    resp = client.get("/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert "peerlab ist gerade nicht erreichbar" in html and 'lang="de"' in html
    assert len(loads) == 1  # the request's own try, not a second one for the error page
    for leak in (*INTERNALS, "db-secret-host", "OperationalError"):
        assert leak not in html
