"""The benchmark stays runnable (docs/benchmark.md): tiny runs of every live format on one
process and of two web processes on PostgreSQL and Redis must finish with every update
delivered once and each scenario's database check passed. The figures themselves are not
checked: CI machines vary. PostgreSQL and Redis: skipped on a laptop without them, a failure
in CI (tests/support/services.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.services import need_postgres, need_redis

ROOT = Path(__file__).resolve().parents[2]
TINY = ("--ramp", "0", "--modes", "gevent", "--run-timeout", "120", "--timeout", "30")


def bench(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", *TINY, *args, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(out.read_text())["runs"]


def delivered_once(row: dict, *, clients: int, actions: int) -> None:
    assert (row["clients"], row["votes"]) == (clients, actions), row
    assert (row["lost"], row["duplicated"], row["errors"]) == (0, 0, 0), row
    assert row["problems"] == [] and row["settled"], row


def test_a_tiny_lean_coffee_run_loses_and_doubles_nothing(tmp_path):
    runs = bench(tmp_path, "--rounds", "2", "--participants", "3", "--votes", "2")
    assert {(r["format"], r["server"]) for r in runs} == {
        ("lean_coffee", "bare"),
        ("lean_coffee", "peerlab"),
    }
    for row in runs:
        delivered_once(row, clients=6, actions=12)


def test_tiny_runs_of_the_other_live_formats_lose_and_double_nothing(tmp_path):
    """One room each: a circle of 2 (facilitator and timekeeper extend the timer), a coaching
    session of 5 (3 advisers write cards), a group of 3 (each replies in their thread)."""
    runs = bench(
        tmp_path,
        *("--format", "circle,coaching,group", "--servers", "peerlab"),
        *("--rounds", "1", "--participants", "2", "--votes", "2"),
    )
    by_format = {r["format"]: r for r in runs}
    delivered_once(by_format["circle"], clients=2, actions=4)
    delivered_once(by_format["coaching"], clients=5, actions=6)
    delivered_once(by_format["group"], clients=3, actions=6)


def test_a_tiny_two_process_run_on_postgres_and_redis_loses_and_doubles_nothing(tmp_path):
    """Two web processes, a scheduler, half of each round on each process: every vote's
    update crosses Redis to the other half of its round."""
    need_postgres()
    need_redis()
    runs = bench(
        tmp_path,
        *("--processes", "2", "--rounds", "2", "--participants", "4", "--votes", "1"),
    )
    assert {(r["server"], r["processes"]) for r in runs} == {("bare", 2), ("peerlab", 2)}
    for row in runs:
        delivered_once(row, clients=8, actions=8)
    peerlab = next(r for r in runs if r["server"] == "peerlab")
    assert peerlab["database"] == "postgresql"
    assert set(peerlab["server_cpu_seconds"]) == {"web1", "web2", "scheduler"}
