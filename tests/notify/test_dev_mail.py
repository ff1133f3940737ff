"""PEERLAB_DEV_MAIL=console (set by `make run`): sign-in, reset and invitation mails also go to
the terminal with their links; off, nothing is printed; a production setup refuses it; the
in-app mailbox stays per person."""

from __future__ import annotations

import re

import pytest

from peerlab import demo
from peerlab.accounts import service
from peerlab.notify import devmail, sender
from tests.accounts.conftest import post_form
from tests.conftest import make_app

LINK = re.compile(r"http://localhost(/[^\s]+)")


@pytest.fixture
def console_app(app):
    """The test app as `make run` configures it (the setting is read when a mail is sent)."""
    app.config["DEV_MAIL"] = "console"
    return app


def _deliver(app) -> None:
    sender.send_due(app.extensions["peerlab.clock"].now())


def test_signin_and_reset_links_are_printed_with_console_on(console_app, make_user, capsys):
    user = make_user(email="miriam@lindenau.example")
    client = console_app.test_client()
    post_form(client, "/anmelden/link", {"email": user.email})
    post_form(client, "/passwort-vergessen", {"email": user.email})
    _deliver(console_app)
    out = capsys.readouterr().out
    assert out.count("peerlab demo mail") == 2
    assert "To: miriam@lindenau.example" in out
    paths = LINK.findall(out)
    assert any(p.startswith("/anmelden/link/") for p in paths)
    assert any(p.startswith("/passwort-neu/") for p in paths)
    # the printed sign-in link works
    signin = next(p for p in paths if p.startswith("/anmelden/link/"))
    assert post_form(client, signin).status_code == 302
    assert client.get("/konto").status_code == 200


def test_nothing_is_printed_with_console_off(app, make_user, capsys):
    user = make_user()
    post_form(app.test_client(), "/anmelden/link", {"email": user.email})
    _deliver(app)
    assert "peerlab demo mail" not in capsys.readouterr().out


def test_other_mails_stay_out_of_the_terminal(console_app, capsys):
    post_form(console_app.test_client(), "/anmelden/link", {"email": "niemand@kommune.example"})
    _deliver(console_app)
    assert "peerlab demo mail" not in capsys.readouterr().out  # the neutral "no account" mail


@pytest.mark.parametrize(
    "setting",
    [
        {"SMTP_HOST": "127.0.0.1"},  # real mail delivery: a production setup
        {"SESSION_COOKIE_SECURE": True},  # served over https: a production setup
    ],
)
def test_a_production_setup_refuses_console_mail(tmp_path, setting):
    with pytest.raises(devmail.DevMailRefused):
        make_app(tmp_path / "prod", DEV_MAIL="console", **setting)


def test_an_unknown_value_is_refused(tmp_path):
    with pytest.raises(devmail.DevMailRefused, match="only value"):
        make_app(tmp_path / "typo", DEV_MAIL="konsole")


def test_the_environment_variable_reaches_the_config(monkeypatch, tmp_path):
    from peerlab.config import from_environment

    monkeypatch.setenv("PEERLAB_DEV_MAIL", "console")
    assert from_environment(str(tmp_path))["DEV_MAIL"] == "console"
    monkeypatch.delenv("PEERLAB_DEV_MAIL")
    assert from_environment(str(tmp_path))["DEV_MAIL"] == ""


def test_a_visitor_accepts_the_demo_invitation_from_the_terminal(console_app, capsys, login):
    """The README's path: ask for a sign-in link for the invited demo address; the invitation
    appears in the terminal; accepting it makes a new account. Mailboxes stay per person."""
    with console_app.test_request_context():
        demo.load()
    client = console_app.test_client()
    post_form(client, "/anmelden/link", {"email": demo.INVITED.email})
    _deliver(console_app)
    out = capsys.readouterr().out
    assert f"To: {demo.INVITED.email}" in out
    [path] = [p for p in LINK.findall(out) if p.startswith("/einladung/")]
    resp = post_form(
        client,
        path,
        {
            "name": "Nora Neu",
            "municipality": "Gemeinde Neudorf",
            "function": "Bürgermeisterin",
            "password": "ein-langes-passwort",
            "password_repeat": "ein-langes-passwort",
        },
    )
    assert resp.status_code == 302
    assert service.find_by_email(demo.INVITED.email).is_active
    # Nora's mailbox holds her invitation; Miriam's does not show it
    assert "Einladung zu peerlab" in client.get("/postfach/").get_data(as_text=True)
    miriam = console_app.test_client()
    login(miriam, service.find_by_email("buergermeisterin@lindenau.example"), demo.DEMO_PASSWORD)
    assert "Einladung zu peerlab" not in miriam.get("/postfach/").get_data(as_text=True)
