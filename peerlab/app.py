"""The application factory: extensions, security, realtime and the list of features."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from peerlab.config import Defaults, from_environment, load_secret_key
from peerlab.core import live
from peerlab.core.clock import AdjustableClock, SystemClock
from peerlab.extensions import babel, csrf, db, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides environment settings (tests pass TESTING etc.)."""
    instance = os.environ.get("PEERLAB_INSTANCE", str(ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Defaults)
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "connect_args": {"timeout": 30, "check_same_thread": False},
        }
    app.extensions["peerlab.clock"] = (
        AdjustableClock() if app.config.get("TESTING_CONTROLS") else SystemClock()
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    from peerlab import models  # noqa: F401 - the whole schema, for Alembic

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    # Flask-SocketIO keeps options from an earlier init_app (tests build many apps): a queue
    # configured once must not stick to the next app.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel="peerlab-socketio",
        cors_allowed_origins=app.config.get("SOCKETIO_CORS") or None,
        # Above the live layer's per-event limit, so an oversized event is answered with
        # `too_long` instead of the transport cutting the connection (docs/realtime.md §2).
        max_http_buffer_size=live.TRANSPORT_BUFFER_BYTES,
        ping_interval=10,
        ping_timeout=20,
    )

    from peerlab import i18n, security
    from peerlab.core import db_setup, urls  # noqa: F401 - db_setup: pragmas

    urls.init_app(app)  # before any blueprint adds a rule with <int:…>
    i18n.init_app(app, babel)
    security.init_app(app)
    live.init_app(app)  # before the features: they register their namespaces into it

    # Features, in order: each registers its blueprints, socket events, jobs and CLI commands.
    from peerlab import accounts, ical, lean_coffee, notify, pages

    for feature in (accounts, notify, pages, ical, lean_coffee):
        feature.init_app(app)

    if app.config.get("TESTING_CONTROLS"):
        from peerlab import testing_controls

        testing_controls.init_app(app)

    from peerlab import cli

    cli.init_app(app)
    return app
