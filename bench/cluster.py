"""The server side of one run: one web process, or several on a Redis message queue with the
separate scheduler process of docs/deployment.md (`--processes 2`).

Every web process is a `bench.servers.ServerProcess` on its own port; clients connect to them
directly (websocket only), participant i to process i mod P. With more than one process the
processes share the Socket.IO message queue: Redis at `--redis-url` (default db 14; the tests
use 15) on a channel of this run's own (`peerlab-bench-<random>`), so no other instance on the
same Redis hears its messages. Socket.IO's Redis queue is publish/subscribe only: it writes no
keys, so there is nothing to flush afterwards. peerlab's web processes run with
SCHEDULER=external, and one `peerlab scheduler` process runs the jobs.
"""

from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bench.servers import ServerProcess, Subprocess

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def check_redis(url: str) -> None:
    """Refuse a Redis other than on this machine, and say clearly when it is not running."""
    parts = urlsplit(url)
    if parts.scheme != "redis" or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("the benchmark only talks to a Redis on 127.0.0.1 (redis://...)")
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2):
            pass
    except OSError as err:
        raise RuntimeError(f"Redis is not reachable at {url}: {err}") from err


def new_channel() -> str:
    return f"peerlab-bench-{secrets.token_hex(6)}"


class SchedulerProcess(Subprocess):
    """`peerlab scheduler` (the venv's console script) with the web processes' environment."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        super().__init__(workdir / "scheduler.log", env)

    def start(self) -> SchedulerProcess:
        self.popen([str(Path(sys.executable).with_name("peerlab")), "scheduler"])
        return self

    def check(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"peerlab scheduler exited:\n{self.log_tail(2000)}")


class Fleet:
    """The web processes (and the scheduler, if any) of one run, started and stopped together."""

    def __init__(self, web: list[ServerProcess], scheduler: SchedulerProcess | None = None):
        self.web = web
        self.scheduler = scheduler

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.web]

    def start(self) -> Fleet:
        try:
            for process in self.web:
                process.launch()
            if self.scheduler is not None:
                self.scheduler.start()
            for process in self.web:
                process.wait_ready()
            if self.scheduler is not None:
                self.scheduler.check()
        except Exception:
            self.stop()
            raise
        return self

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds so far per process: web1, web2, …, scheduler."""
        out = {f"web{n + 1}": p.cpu_seconds() for n, p in enumerate(self.web)}
        if self.scheduler is not None:
            out["scheduler"] = self.scheduler.cpu_seconds()
        return out

    def exited(self) -> list[str]:
        """The processes that are no longer running (they must all live until stop())."""
        gone = [
            f"web{n + 1}" for n, p in enumerate(self.web) if p.proc and p.proc.poll() is not None
        ]
        if self.scheduler is not None and self.scheduler.proc.poll() is not None:
            gone.append("scheduler")
        return gone

    def log_tail(self, chars: int = 1500) -> str:
        parts = [f"--- web{n + 1} ---\n{p.log_tail(chars)}" for n, p in enumerate(self.web)]
        if self.scheduler is not None:
            parts.append(f"--- scheduler ---\n{self.scheduler.log_tail(chars)}")
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.web:
            process.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
