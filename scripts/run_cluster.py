"""`make run-cluster`: two web processes, the scheduler and a small proxy on 127.0.0.1, against
the local PostgreSQL and Redis — the multi-process setup of docs/deployment.md, to try on one
machine. Stops everything on Ctrl+C.

Needs PostgreSQL on 127.0.0.1:5432 (a user that may create databases) and Redis on
127.0.0.1:6379; says which one is missing and stops otherwise. Overridable by environment:
CLUSTER_POSTGRES (server URL), CLUSTER_DATABASE (database name, default peerlab_cluster),
CLUSTER_REDIS, CLUSTER_CHANNEL (Socket.IO channel), CLUSTER_PORT (proxy, default 5100; web
processes on the next two ports)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
POSTGRES = os.environ.get("CLUSTER_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("CLUSTER_DATABASE", "peerlab_cluster")
REDIS = os.environ.get("CLUSTER_REDIS", "redis://127.0.0.1:6379/0")
PORT = int(os.environ.get("CLUSTER_PORT", "5100"))


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def check_services() -> list[str]:
    missing = []
    if not reachable("127.0.0.1", 5432):
        missing.append(
            "PostgreSQL läuft nicht auf 127.0.0.1:5432 (z. B. apt-get install postgresql, "
            "dann service postgresql start)"
        )
    if not reachable("127.0.0.1", 6379):
        missing.append(
            "Redis läuft nicht auf 127.0.0.1:6379 (z. B. apt-get install redis-server, "
            "dann service redis-server start)"
        )
    if not (BIN / "gunicorn").exists():
        missing.append("gunicorn fehlt in .venv (.venv/bin/pip install -e '.[deploy]')")
    return missing


def ensure_database() -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DATABASE})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return f"{POSTGRES}/{DATABASE}"


def main() -> int:
    missing = check_services()
    if missing:
        print("make run-cluster braucht:", *missing, sep="\n  - ", file=sys.stderr)
        return 1
    env = {
        **os.environ,
        "DATABASE_URL": ensure_database(),
        "SOCKETIO_MESSAGE_QUEUE": REDIS,
        # not the channel of another instance on the same Redis
        "SOCKETIO_CHANNEL": os.environ.get("CLUSTER_CHANNEL", "peerlab-cluster"),
        "SOCKETIO_ASYNC_MODE": "gevent",
        "SCHEDULER": "external",
        "PEERLAB_DEV_MAIL": "console",
        "BASE_URL": f"http://127.0.0.1:{PORT}",
    }
    for step in (["db", "upgrade"], ["demo", "--if-empty"]):
        subprocess.run([BIN / "peerlab", *step], env=env, check=True, cwd=ROOT)  # noqa: S603 - our own command
    web_ports = [PORT + 1, PORT + 2]
    commands = [
        *[
            [
                BIN / "gunicorn",
                "-k",
                "gevent",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{p}",
                "--access-logfile",
                "-",
                "--access-logformat",
                ACCESS_FORMAT,
                "peerlab.wsgi:app",
            ]
            for p in web_ports
        ],
        [BIN / "peerlab", "scheduler"],
        [
            BIN / "python",
            ROOT / "scripts" / "cluster_proxy.py",
            "--listen",
            str(PORT),
            *map(str, web_ports),
        ],
    ]
    children = [
        subprocess.Popen(cmd, env=env, cwd=ROOT)  # noqa: S603 - the venv's own commands
        for cmd in commands
    ]
    for port in web_ports:
        deadline = time.monotonic() + 30
        while not reachable("127.0.0.1", port) and time.monotonic() < deadline:
            time.sleep(0.2)
    print(
        f"\npeerlab-Cluster: http://127.0.0.1:{PORT}/  (Web-Prozesse auf {web_ports[0]} und "
        f"{web_ports[1]}, ein Scheduler, PostgreSQL-Datenbank {DATABASE}, Redis {REDIS}). "
        "Strg+C beendet alles.",
        flush=True,
    )
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("Ein Prozess hat sich beendet; der Cluster wird angehalten.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


# No client address and no query string (Socket.IO session ids) in the access log
# (docs/deployment.md): time, method, path, status, size, duration.
ACCESS_FORMAT = '[%(t)s] "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

if __name__ == "__main__":
    sys.exit(main())
