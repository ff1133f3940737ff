"""The benchmark stays runnable: a tiny run (2 rounds of 3, both servers, gevent) must finish
with every update delivered once and the database check passed (the figures themselves are
not checked: CI machines vary; docs/benchmark.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_benchmark_run_loses_and_doubles_nothing():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            *("--rounds", "2", "--participants", "3", "--votes", "2", "--ramp", "0"),
            *("--modes", "gevent", "--no-json", "--run-timeout", "150"),
        ],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line.split() for line in result.stdout.splitlines()]
    runs = {(r[0], r[1]): r for r in rows if len(r) >= 11 and r[0] in ("bare", "peerlab")}
    assert set(runs) == {("bare", "gevent"), ("peerlab", "gevent")}, result.stdout
    for row in runs.values():
        assert row[3:5] == ["6", "12"] and row[8:11] == ["0", "0", "0"], row
