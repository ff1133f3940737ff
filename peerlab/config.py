"""Settings from the environment. No secret has a default in code."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_path: str) -> str:
    """Secret from PEERLAB_SECRET_KEY, else generated once into instance/secret_key."""
    env = os.environ.get("PEERLAB_SECRET_KEY") or os.environ.get("SECRET_KEY")
    if env:
        return env
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def from_environment(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    db_default = "sqlite:///" + str(Path(instance_path) / "peerlab.sqlite3")
    smtp_host = os.environ.get("SMTP_HOST") or None
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", db_default),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE")
        or os.environ.get("REDIS_URL")
        or None,
        # Several instances on one Redis (staging and production) need channels of their own.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "peerlab-socketio"),
        # `peerlab run` sets gevent unless told otherwise; create_app() elsewhere uses threads.
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        "SCHEDULER": os.environ.get("SCHEDULER", "internal"),
        "BASE_URL": os.environ.get("BASE_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "peerlab <noreply@peerlab.localhost>"),
        "MAIL_DOMAIN": os.environ.get("MAIL_DOMAIN", "peerlab.localhost"),
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS"),
        # "console": the demo also prints sign-in, reset and invitation mails (notify.devmail)
        "DEV_MAIL": os.environ.get("PEERLAB_DEV_MAIL", "").strip().lower(),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "OPERATOR_NAME": os.environ.get("PEERLAB_OPERATOR_NAME", ""),
        "LEGAL_DIR": os.environ.get("PEERLAB_LEGAL_DIR", str(Path(instance_path) / "legal")),
        "RATELIMIT_ENABLED": _bool("PEERLAB_RATELIMIT", True),
        # How many reverse proxies (each adding X-Forwarded-For) stand before peerlab. 0: the
        # header is ignored, so nobody can choose the address their sign-in attempts count for.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Connections one process keeps to a server database, and how many more it may open at a
        # peak. Under gevent every waiting socket event holds one while it waits for its room's
        # lock; processes × (size + overflow) must stay below PostgreSQL's max_connections.
        "DB_POOL_SIZE": int(os.environ.get("DB_POOL_SIZE", "10")),
        "DB_POOL_OVERFLOW": int(os.environ.get("DB_POOL_OVERFLOW", "20")),
        # Built feeds kept in memory per process (ical.feed_cache): how many, and how many bytes.
        "ICAL_FEED_CACHE_ENTRIES": int(os.environ.get("PEERLAB_FEED_CACHE_ENTRIES", "256")),
        "ICAL_FEED_CACHE_BYTES": int(os.environ.get("PEERLAB_FEED_CACHE_BYTES", str(64 << 20))),
    }


class Defaults:
    """Values that are not secret and not environment specific."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "peerlab_session"
    REMEMBER_COOKIE_NAME = "peerlab_remember_unused"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # The CSRF token lives as long as the session: a long form still submits.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    TESTING_CONTROLS = False
    ROMAN_VOTE_SECONDS = 30
    GUEST_PASS_DAYS = 30
    SIGNIN_LINK_MINUTES = 15
    JOB_INTERVAL_SECONDS = 2
    MAIL_MAX_ATTEMPTS = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)
