"""The application factory: extensions, security, realtime and the list of features."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from peerlab.config import Defaults, from_environment, load_secret_key
from peerlab.core import live
from peerlab.core.clock import AdjustableClock, SystemClock
from peerlab.core.live import queue as live_queue
from peerlab.extensions import babel, csrf, db, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None, *, features: Iterable = ()) -> Flask:
    """Build the app. `config` overrides environment settings (tests pass TESTING etc.);
    `features` are added after the built-in ones (objects with `init_app(app, registry)`)."""
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
    else:
        # A server database can go away and come back (restart, failover, network): test each
        # pooled connection before handing it out, so the first request after the return
        # does not get a dead one. Connecting waits at most 5 s, so a request during an
        # outage is answered with an error instead of hanging.
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "pool_size": app.config.get("DB_POOL_SIZE", 10),
            "max_overflow": app.config.get("DB_POOL_OVERFLOW", 20),
            **options,
            "connect_args": {"connect_timeout": 5, **options.get("connect_args", {})},
        }
    # PEERLAB_TEST_CLOCK_OFFSET_DAYS runs the whole test suite (and the processes it starts)
    # on another date; it is for that check only, never for a real server.
    shifted = os.environ.get("PEERLAB_TEST_CLOCK_OFFSET_DAYS")
    offset = timedelta(days=float(shifted or 0))
    app.extensions["peerlab.clock"] = (
        AdjustableClock(offset) if app.config.get("TESTING_CONTROLS") or shifted else SystemClock()
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
    channel = app.config.get("SOCKETIO_CHANNEL") or "peerlab-socketio"
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    # Redis gets our manager (core/live/queue.py: a listener that says whether it hears and
    # catches its boards up after an outage); other queues the one Flask-SocketIO picks.
    manager = live_queue.manager_for(queue, channel)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=queue,
        channel=channel,
        **({"client_manager": manager} if manager is not None else {}),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS") or None,
        # Above the live layer's per-event limit, so an oversized event is answered with
        # `too_long` instead of the transport cutting the connection (docs/realtime.md §2).
        max_http_buffer_size=live.TRANSPORT_BUFFER_BYTES,
        ping_interval=10,
        ping_timeout=20,
    )

    from peerlab import i18n, security
    from peerlab.core import authormarks, db_setup, due, presence, retention, spaces, urls

    db_setup.init_app(app)  # before anything connects: transaction mode and pragmas
    urls.init_app(app)  # before any blueprint adds a rule with <int:…>
    i18n.init_app(app, babel)
    security.init_app(app)
    live.init_app(app)  # before the features: they register their namespaces into it

    # Features, in order: each adds its blueprints, socket events, jobs, pages' parts, calendar
    # sources, export/erasure hooks and demo data to the app's registry (core.registry). The
    # app context lets `due.register` find the registry of the app being built.
    from peerlab import (
        accounts,
        circles,
        coaching,
        groups,
        ical,
        impulses,
        lean_coffee,
        notify,
        pages,
    )
    from peerlab.core import agenda
    from peerlab.core.registry import EXTENSION_KEY, Registry

    registry = app.extensions[EXTENSION_KEY] = Registry(app)
    with app.app_context():
        # Core's own jobs first (timebox expiry, due items, presence sweep, agenda timers).
        due.init_app(app)
        retention.init_app(app)  # purgers registered by features; deletion made final
        presence.init_app(app)
        authormarks.init_app(app)  # forgets unlinkable marks after their edit window
        live.init_jobs(app)  # forgets applied client action ids after a day
        spaces.init_app(app)
        agenda.init_app(app, registry)
        for feature in (
            accounts,
            notify,
            pages,
            ical,
            lean_coffee,
            circles,
            impulses,
            groups,
            coaching,
            *features,
        ):
            feature.init_app(app, registry)

        if app.config.get("TESTING_CONTROLS"):
            from peerlab import testing_controls

            testing_controls.init_app(app, registry)
    registry.freeze()

    from peerlab import cli

    cli.init_app(app)
    if app.config.get("PROXY_COUNT"):  # outermost, so page and socket requests see the client
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app
