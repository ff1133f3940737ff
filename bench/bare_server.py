"""The bare reference server: Flask-SocketIO with no application logic, no database, no auth.

It answers the same load shape as peerlab (join a room, vote, broadcast an update to the room)
so the benchmark can report peerlab's cost as a ratio. Run as a subprocess only:
`python -m bench.bare_server --port N --async-mode threading|gevent`.
"""

from __future__ import annotations

import argparse


def build(async_mode: str, *, drop_every: int = 0, duplicate_every: int = 0):
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
            version = versions[room]
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
    args = parser.parse_args()
    if args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    app, socketio = build(
        args.async_mode, drop_every=args.drop_every, duplicate_every=args.duplicate_every
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
