"""Scheduler wiring: one periodic job applies everything that is due (see core.due).

`peerlab run` starts it inside the web process (matching the async mode); with
SCHEDULER=external no web process runs jobs and exactly one `peerlab scheduler` process does.
"""

from __future__ import annotations

import logging

from flask import Flask

from peerlab.core import due
from peerlab.core.clock import utcnow

log = logging.getLogger(__name__)


def tick(app: Flask) -> dict[str, int]:
    with app.app_context():
        try:
            return due.run_due(utcnow())
        finally:
            from peerlab.extensions import db

            db.session.remove()


def _add_job(scheduler, app: Flask) -> None:
    scheduler.add_job(
        tick,
        "interval",
        args=[app],
        seconds=app.config["JOB_INTERVAL_SECONDS"],
        id="peerlab.due",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )


def start_in_process(app: Flask):
    """Start the job inside the web process unless SCHEDULER=external. The presence heartbeat
    starts in every web process: with SCHEDULER=external it must still come from here."""
    from peerlab.core import presence

    presence.start_heartbeat(app)
    if app.config.get("SCHEDULER") == "external":
        log.info("SCHEDULER=external: this process runs no jobs")
        return None
    if app.config["SOCKETIO_ASYNC_MODE"] == "gevent":
        from apscheduler.schedulers.gevent import GeventScheduler

        scheduler = GeventScheduler()
    else:
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduler = BackgroundScheduler(daemon=True)
    _add_job(scheduler, app)
    scheduler.start()
    app.extensions["peerlab.scheduler"] = scheduler
    return scheduler


def run_blocking(app: Flask) -> None:
    """`peerlab scheduler`: the single scheduler process of a multi-process setup."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler()
    _add_job(scheduler, app)
    log.info("peerlab scheduler running every %ss", app.config["JOB_INTERVAL_SECONDS"])
    scheduler.start()
