"""Figures from one run, the table on stdout and the JSON files in bench/results/."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.load import Outcome

RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = (
    "format",
    "server",
    "mode",
    "procs",
    "db",
    "rooms",
    "clients",
    "actions",
    "act/s",
    "p50 ms",
    "p99 ms",
    "lost",
    "dup",
    "errors",
    "cpu ms/act",
    "cpu s servers",
    "cpu s load",
)
KEYS = {
    "procs": "processes",
    "db": "database",
    "rooms": "rounds",
    "actions": "votes",
    "act/s": "votes_per_second",
    "p50 ms": "p50_ms",
    "p99 ms": "p99_ms",
    "dup": "duplicated",
    "cpu ms/act": "server_cpu_ms_per_action",
    "cpu s servers": "server_cpu_by_process",
    "cpu s load": "client_cpu_seconds",
}
LABELS = ("format", "server", "mode", "db")  # left-aligned


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def figures(shape: dict, outcome: Outcome, *, problems: list[str]) -> dict:
    """One row of the result: everything measured for one format, server, mode and number
    of processes. `shape`: format, server, mode, processes, database, rounds,
    participants_per_round, votes_per_participant, load_before."""
    accepted = [v for v in outcome.votes if v.error is None]
    errors: dict[str, int] = {}
    for v in outcome.votes:
        if v.error is not None:
            errors[v.error] = errors.get(v.error, 0) + 1
    span = outcome.finished_at - outcome.started_at
    cpu = {
        name: round(outcome.probe_end.get(name, 0.0) - start, 2)
        for name, start in outcome.probe_start.items()
    }
    cpu_total = sum(cpu.values())
    return {
        **shape,
        "clients_planned": shape["rounds"] * shape["participants_per_round"],
        "clients": outcome.clients,
        "connect_failures": len(outcome.connect_failures),
        "connect_failure_samples": outcome.connect_failures[:5],
        "connect_seconds": round(outcome.connect_seconds, 2),
        "votes_sent": len(outcome.votes),
        "votes": len(accepted),
        "errors": sum(errors.values()),
        "error_codes": errors,
        "seconds": round(span, 3),
        "votes_per_second": round(len(accepted) / span, 1) if span > 0 else None,
        "p50_ms": _ms(percentile(outcome.latencies, 50)),
        "p90_ms": _ms(percentile(outcome.latencies, 90)),
        "p99_ms": _ms(percentile(outcome.latencies, 99)),
        "max_ms": _ms(max(outcome.latencies, default=None)),
        "lost": outcome.lost,
        "duplicated": outcome.duplicated,
        "unexpected_updates": outcome.unexpected,
        "foreign_updates": outcome.foreign,
        "version_collisions": outcome.collisions,
        "settled": outcome.settled,
        # CPU seconds per server-side process (web1, web2, …, scheduler) during the actions
        "server_cpu_seconds": cpu,
        "server_cpu_by_process": "+".join(f"{v:.1f}" for v in cpu.values()) or None,
        "server_cpu_ms_per_action": (
            round(1000 * cpu_total / len(accepted), 2) if accepted and cpu else None
        ),
        "server_cpu_percent": (
            {name: round(100 * v / span, 0) for name, v in cpu.items()} if span > 0 else None
        ),
        "client_cpu_seconds": round(outcome.client_cpu_seconds, 2),
        "client_cpu_percent": (
            round(100 * outcome.client_cpu_seconds / span, 0) if span > 0 else None
        ),
        "problems": problems,
    }


def failed_row(shape: dict, reason: str) -> dict:
    return {
        **shape,
        "clients_planned": shape["rounds"] * shape["participants_per_round"],
        "clients": 0,
        "votes": 0,
        "problems": [reason],
        "failed": True,
    }


def _cell(row: dict, column: str) -> str:
    key = KEYS.get(column, column)
    if row.get("failed") and column not in ("format", "server", "mode", "procs", "db", "rooms"):
        return "FAILED" if column == "clients" else "-"
    value = row.get(key)
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def table(rows: list[dict]) -> str:
    cells = [list(COLUMNS)] + [[_cell(r, c) for c in COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = []
    for n, line in enumerate(cells):
        lines.append(
            "  ".join(
                cell.ljust(w) if COLUMNS[i] in LABELS else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratios(rows: list[dict]) -> dict:
    """peerlab against bare with the same format, mode and processes: p50/p99 factor, share
    of the bare server's actions per second."""
    out: dict[str, dict] = {}
    by = {
        (r["format"], r["server"], r["mode"], r["processes"]): r
        for r in rows
        if not r.get("failed")
    }
    for (fmt, server, mode, procs), row in by.items():
        bare = by.get((fmt, "bare", mode, procs))
        if server == "bare" or bare is None:
            continue
        entry = {}
        for key in ("p50_ms", "p99_ms"):
            if row.get(key) and bare.get(key):
                entry[f"{key[:3]}_factor"] = round(row[key] / bare[key], 2)
        if row.get("votes_per_second") and bare.get("votes_per_second"):
            entry["votes_per_second_share"] = round(
                row["votes_per_second"] / bare["votes_per_second"], 2
            )
        out[f"{fmt}/{server}/{mode}/{procs}p"] = entry
    return out


def environment() -> dict:
    versions = {}
    for name in (
        "flask-socketio",
        "python-socketio",
        "python-engineio",
        "simple-websocket",
        "gevent",
        "flask",
        "werkzeug",
        "sqlalchemy",
        "aiohttp",
    ):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "packages": versions,
    }


def write(result: dict, path: Path | None = None) -> Path:
    """bench/results/bench-<UTC>.json and latest.json, or only `path` when given."""
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if path is not None:
        path.write_text(text)
        return path
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    return path
