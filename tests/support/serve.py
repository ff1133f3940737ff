"""Start peerlab for live tests: a test app (test clock control on), fresh schema, jobs running.

Lives under tests/, not in the package: no shipped command can switch the test controls on.
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--async-mode", default="gevent")
    parser.add_argument("--queue", default="")
    parser.add_argument("--scheduler", default="internal")
    args = parser.parse_args()
    if args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()

    from peerlab import create_app, scheduler
    from peerlab.extensions import db, socketio

    config = {
        "TESTING_CONTROLS": True,
        "SQLALCHEMY_DATABASE_URI": args.db,
        "SOCKETIO_ASYNC_MODE": args.async_mode,
        "SOCKETIO_MESSAGE_QUEUE": args.queue or None,
        "SCHEDULER": args.scheduler,
        "JOB_INTERVAL_SECONDS": 1,
        "RATELIMIT_ENABLED": os.environ.get("PEERLAB_TEST_RATELIMIT") == "1",
    }
    if args.smtp_port:
        config.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": args.smtp_port})
    app = create_app(config)
    with app.app_context():
        db.create_all()
    scheduler.start_in_process(app)
    socketio.run(
        app,
        host="127.0.0.1",
        port=args.port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
    )


if __name__ == "__main__":
    main()
