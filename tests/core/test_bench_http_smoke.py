"""The HTTP benchmark stays runnable: a tiny run on SQLite (12 dates, two clients, half a
second per page) answers every page with the expected status, the feed carries every date and
the 304 answers come back (the figures themselves are not checked: docs/benchmark.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_http_benchmark_run_answers_every_page(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.http",
            *("--databases", "sqlite", "--clients", "2", "--seconds", "0.5", "--warmup", "0"),
            *("--dates", "12", "--json", str(tmp_path / "http.json")),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    runs = json.loads((tmp_path / "http.json").read_text())["runs"]
    assert [r["page"] for r in runs] == [
        "dashboard",
        "board",
        "feed 200 (no If-None-Match, unchanged)",
        "feed 304",
    ]
    for run in runs:
        assert run["database"] == "sqlite" and run["errors"] == 0 and run["requests"] > 0, run
    assert {r["feed_events"] for r in runs if r["page"].startswith("feed")} == {12}
