"""peerlab as the benchmark serves it: the production app factory, no test controls.

Run as a subprocess only (gevent patches this process, never the benchmark's):
`python -m bench.peerlab_server --port N --db sqlite:///... --async-mode threading|gevent`,
with `--message-queue redis://… --channel NAME --scheduler external` as one of several web
processes (bench.cluster; the jobs then run in a separate `peerlab scheduler`).
The secret key comes from PEERLAB_SECRET_KEY, shared with the benchmark process so that the
session cookies it signs are valid here. The benchmark creates the schema beforehand.
"""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--async-mode", choices=("threading", "gevent"), default="threading")
    parser.add_argument("--message-queue", default=None)
    parser.add_argument("--channel", default="peerlab-socketio")
    parser.add_argument("--scheduler", choices=("internal", "external"), default="internal")
    args = parser.parse_args()
    if args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()

    from peerlab import create_app, scheduler
    from peerlab.extensions import socketio

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.db,
            "SOCKETIO_ASYNC_MODE": args.async_mode,
            "SOCKETIO_MESSAGE_QUEUE": args.message_queue,
            "SOCKETIO_CHANNEL": args.channel,
            "SCHEDULER": args.scheduler,
        }
    )
    # As `peerlab run` does: jobs share the process, unless SCHEDULER=external (then only the
    # presence heartbeat starts here).
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
