"""A live peerlab server in a subprocess, for Socket.IO protocol tests and browser tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[2]


class LiveServer:
    def __init__(
        self,
        tmp: Path,
        *,
        smtp_port: int = 0,
        async_mode: str = "gevent",
        db_url: str | None = None,
        queue: str = "",
        scheduler: str = "internal",
        extra_env: dict | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url or f"sqlite:///{tmp / 'live.sqlite3'}"
        self.instance = tmp / "instance"
        self.instance.mkdir(parents=True, exist_ok=True)
        self.smtp_port = smtp_port
        self.async_mode = async_mode
        self.queue = queue
        self.scheduler = scheduler
        self.log_path = tmp / f"server-{self.port}.log"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> LiveServer:
        env = {
            **os.environ,
            "PEERLAB_INSTANCE": str(self.instance),
            "PEERLAB_SECRET_KEY": "live-test-secret",
            **self.extra_env,
        }
        cmd = [
            sys.executable,
            "-m",
            "tests.support.serve",
            "--port",
            str(self.port),
            "--db",
            self.db_url,
            "--async-mode",
            self.async_mode,
        ]
        if self.smtp_port:
            cmd += ["--smtp-port", str(self.smtp_port)]
        if self.scheduler != "internal":
            cmd += ["--scheduler", self.scheduler]
        if self.queue:
            cmd += ["--queue", self.queue]
        self._log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"live server exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"live server did not start:\n{self.log_path.read_text()[-3000:]}")

    def post_json(self, path: str, body: dict) -> dict:
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def advance(self, seconds: float) -> dict:
        """Move the server's clock forward and apply what became due."""
        return self.post_json("/_test/clock/advance", {"seconds": seconds})

    def run_due(self) -> dict:
        return self.post_json("/_test/due", {})

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "_log", None):
            self._log.close()

    def kill(self) -> None:
        """SIGKILL: the process ends without running any of its own code (a crash)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> LiveServer:
        """Stop and start on the same port and database (restart mid-round)."""
        self.stop()
        return self.start()
