"""An operator configures peerlab by environment only, and docs/deployment.md lists exactly
the variables the code reads."""

from __future__ import annotations

import re
from pathlib import Path

from peerlab.config import from_environment

ROOT = Path(__file__).resolve().parents[2]


def test_every_operator_setting_comes_from_the_environment(tmp_path, monkeypatch):
    env = {
        "DATABASE_URL": "postgresql+psycopg://peerlab@db.internal/peerlab",
        "SOCKETIO_MESSAGE_QUEUE": "redis://redis.internal:6379/0",
        "SOCKETIO_CHANNEL": "peerlab-prod",
        "SCHEDULER": "external",
        "BASE_URL": "https://peerlab.example.de",
        "SMTP_HOST": "mail.example.de",
        "SMTP_PORT": "587",
        "SMTP_USER": "peerlab",
        "SMTP_PASSWORD": "geheim",
        "SMTP_STARTTLS": "1",
        "MAIL_FROM": "peerlab <noreply@peerlab.example.de>",
        "MAIL_DOMAIN": "peerlab.example.de",
        "PROXY_COUNT": "1",
        "SESSION_COOKIE_SECURE": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = from_environment(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == env["DATABASE_URL"]
    assert config["SOCKETIO_MESSAGE_QUEUE"] == env["SOCKETIO_MESSAGE_QUEUE"]
    assert config["SOCKETIO_CHANNEL"] == "peerlab-prod"
    assert config["SCHEDULER"] == "external"
    assert config["BASE_URL"] == env["BASE_URL"]
    assert (config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_STARTTLS"]) == (
        "mail.example.de",
        587,
        True,
    )
    assert (config["SMTP_USER"], config["SMTP_PASSWORD"]) == ("peerlab", "geheim")
    assert config["MAIL_DOMAIN"] == "peerlab.example.de"
    assert config["PROXY_COUNT"] == 1
    assert config["SESSION_COOKIE_SECURE"] is True


def test_the_deployment_guide_lists_exactly_the_variables_the_code_reads():
    code = (ROOT / "peerlab" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:environ\.get|_bool)\("([A-Z_]+)"', code))
    read -= {"SECRET_KEY"}  # the old name, still accepted; the guide names PEERLAB_SECRET_KEY
    read |= {"PEERLAB_SECRET_KEY", "PEERLAB_INSTANCE"}  # read by load_secret_key / create_app
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    table = guide.split("## Configuration: environment only", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([A-Z][A-Z_]+)`", table))
    assert read - listed == set(), "not in docs/deployment.md"
    assert listed - read == set(), "in docs/deployment.md but not read"
