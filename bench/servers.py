"""Server subprocesses on 127.0.0.1: start, wait for /healthz, measure CPU, stop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


class Subprocess:
    """A child process on 127.0.0.1 with its output in `log_path`: start, CPU, log, stop."""

    def __init__(self, log_path: Path, env: dict[str, str] | None = None):
        self.log_path = log_path
        self.env = env or {}
        self.proc: subprocess.Popen | None = None
        self._log = None

    def popen(self, cmd: list[str]) -> None:
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (all its threads)."""
        return process_cpu_seconds(self.proc.pid) if self.proc is not None else 0.0

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


class ServerProcess(Subprocess):
    """`python -m <module> --port P --async-mode M [extra args]` with its log in `log_path`."""

    def __init__(
        self,
        module: str,
        *,
        async_mode: str,
        workdir: Path,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
    ):
        self.module = module
        self.async_mode = async_mode
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = args or []
        log = workdir / f"{module.rsplit('.', 1)[-1]}-{async_mode}-{self.port}.log"
        super().__init__(log, env)

    def start(self, timeout: float = 60.0) -> ServerProcess:
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> None:
        """Start the subprocess without waiting (several processes start side by side)."""
        cmd = [
            sys.executable,
            "-m",
            self.module,
            "--port",
            str(self.port),
            "--async-mode",
            self.async_mode,
            *self.args,
        ]
        self.popen(cmd)

    def wait_ready(self, timeout: float = 60.0) -> ServerProcess:
        """Wait until /healthz answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.module} exited:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.module} did not answer within {timeout} s:\n{self.log_tail()}")
