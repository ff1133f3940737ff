"""The bare reference server: Flask-SocketIO with no application logic, no database, no auth.

It answers the same load shape as peerlab (join a room, vote, broadcast an update to the room)
so the benchmark can report peerlab's cost as a ratio. Run as a subprocess only:
`python -m bench.bare_server --port N --async-mode threading|gevent`; as one of P processes on
a Redis queue: `--message-queue redis://… --channel NAME --process-index I --processes P`
(round versions are then I+1, I+1+P, I+1+2P, …: unique across the processes without any shared
state, each process counting for itself).
"""

from __future__ import annotations

import argparse


def build(
    async_mode: str,
    *,
    drop_every: int = 0,
    duplicate_every: int = 0,
    message_queue: str | None = None,
    channel: str = "flask-socketio",
    process_index: int = 0,
    processes: int = 1,
):
    """The app; the fault options exist for `bench.run --self-check` only: they drop or
    duplicate every n-th broadcast, so the check can prove that losses are detected."""
    import threading

    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode=async_mode,
        ping_interval=10,
        ping_timeout=20,
        max_http_buffer_size=64 * 1024,
        message_queue=message_queue,
        channel=channel,
    )
    versions: dict[str, int] = {}
    lock = threading.Lock()  # a gevent lock once the process is monkey-patched

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    @socketio.on("join")
    def on_join(data):
        room = f"round:{int(data['round'])}"
        join_room(room)
        with lock:
            version = versions.setdefault(room, 0)
        return {"ok": True, "version": version}

    @socketio.on("vote")
    def on_vote(data):
        room = f"round:{int(data['round'])}"
        with lock:
            versions[room] = versions.get(room, 0) + 1
            version = (versions[room] - 1) * processes + process_index + 1
        update = {"round": int(data["round"]), "version": version}
        if not (drop_every and version % drop_every == 0):
            socketio.emit("update", update, to=room)
        if duplicate_every and version % duplicate_every == 0:
            socketio.emit("update", update, to=room)
        return {"ok": True, "version": version}

    return app, socketio


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--async-mode", choices=("threading", "gevent"), default="threading")
    parser.add_argument("--drop-every", type=int, default=0)
    parser.add_argument("--duplicate-every", type=int, default=0)
    parser.add_argument("--message-queue", default=None)
    parser.add_argument("--channel", default="flask-socketio")
    parser.add_argument("--process-index", type=int, default=0)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    if args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    app, socketio = build(
        args.async_mode,
        drop_every=args.drop_every,
        duplicate_every=args.duplicate_every,
        message_queue=args.message_queue,
        channel=args.channel,
        process_index=args.process_index,
        processes=args.processes,
    )
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
