"""`python -m bench.median RESULT.json ...`: the median of several benchmark runs.

The targets of issue 13 are reported as the median of 3 runs. Give this the JSON files that
`python -m bench.run` wrote (same command each time); it groups the rows by format, server,
mode, number of processes, database and load, and prints one Markdown table row per group:
the median of p50, p99, actions/s and server CPU per action, the median of the per-run p99
ratio against the bare server of the same run, and the sums of lost, duplicated and failed
actions over all runs (a median must not hide a loss). `--json OUT` writes the same as JSON.

Files of `python -m bench.http` (rows with a `page`) are grouped by database and page instead:
the median of requests/s, p50, p99, server CPU per answer and the first (built) feed answer,
and the sum of errors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

GROUP = ("format", "server", "mode", "processes", "database", "rounds", "participants_per_round")
MEDIANS = ("p50_ms", "p99_ms", "votes_per_second", "server_cpu_ms_per_action")
SUMS = ("lost", "duplicated", "errors")


def _medians(rows: list[dict], keys: tuple[str, ...]) -> dict:
    """The median of each key over the rows that have it (None when none has it)."""
    out = {}
    for key in keys:
        values = [r[key] for r in rows if r.get(key) is not None]
        out[key] = round(statistics.median(values), 1) if values else None
    return out


def _key(row: dict) -> tuple:
    return tuple(row.get(k) for k in GROUP)


def _ratio(row: dict, runs: list[dict]) -> float | None:
    """p99 of a peerlab row against the bare row of the same run, format, mode, processes."""
    if row.get("server") == "bare":
        return None
    for other in runs:
        if (
            other.get("server") == "bare"
            and not other.get("failed")
            and all(other.get(k) == row.get(k) for k in ("format", "mode", "processes"))
            and other.get("p99_ms")
            and row.get("p99_ms")
        ):
            return row["p99_ms"] / other["p99_ms"]
    return None


def summarise(results: list[dict]) -> list[dict]:
    """One entry per group, in the order the groups first appear."""
    groups: dict[tuple, dict] = {}
    for result in results:
        runs = result.get("runs", [])
        for row in runs:
            entry = groups.setdefault(
                _key(row), {**dict(zip(GROUP, _key(row), strict=True)), "rows": [], "ratios": []}
            )
            entry["rows"].append(row)
            ratio = None if row.get("failed") else _ratio(row, runs)
            if ratio is not None:
                entry["ratios"].append(ratio)
    out = []
    for entry in groups.values():
        rows = entry.pop("rows")
        ok = [r for r in rows if not r.get("failed")]
        summary = {**entry, "runs": len(rows), "failed_runs": len(rows) - len(ok)}
        summary.update(_medians(ok, MEDIANS))
        for key in SUMS:
            summary[key] = sum(r.get(key) or 0 for r in ok)
        ratios = summary.pop("ratios")
        summary["p99_ratio"] = round(statistics.median(ratios), 2) if ratios else None
        summary["p99_ratios"] = [round(r, 2) for r in ratios]
        summary["clients"] = max((r.get("clients") or 0 for r in ok), default=0)
        out.append(summary)
    return out


HTTP_GROUP = ("database", "page")
HTTP_MEDIANS = ("req/s", "p50 ms", "p99 ms", "cpu ms/req", "first_feed_ms")


def summarise_http(results: list[dict]) -> list[dict]:
    """One entry per database and page of bench.http runs, in the order they first appear."""
    groups: dict[tuple, list[dict]] = {}
    for result in results:
        for row in result.get("runs", []):
            groups.setdefault(tuple(row.get(k) for k in HTTP_GROUP), []).append(row)
    out = []
    for key, rows in groups.items():
        summary: dict = {**dict(zip(HTTP_GROUP, key, strict=True)), "runs": len(rows)}
        summary.update(_medians(rows, HTTP_MEDIANS))
        summary["errors"] = sum(r.get("errors") or 0 for r in rows)
        summary["clients"] = max((r.get("clients") or 0 for r in rows), default=0)
        out.append(summary)
    return out


def markdown_http(summary: list[dict]) -> str:
    head = "| database | page | clients | runs | req/s | p50 ms | p99 ms | CPU ms/answer | errors |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for s in summary:
        cells = [s["database"], s["page"], s["clients"], s["runs"]]
        cells += [s[k] for k in ("req/s", "p50 ms", "p99 ms", "cpu ms/req", "errors")]
        lines.append("| " + " | ".join(_fmt(c) for c in cells) + " |")
    return "\n".join(lines)


def _is_http(results: list[dict]) -> bool:
    return any("page" in row for result in results for row in result.get("runs", []))


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def markdown(summary: list[dict]) -> str:
    head = (
        "| format | server | procs | db | clients | runs | act/s | p50 ms | p99 ms "
        "| p99 ratio (runs) | CPU ms/act | lost | dup | errors |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for s in summary:
        ratio = "-"
        if s["p99_ratio"] is not None:
            ratio = f"{s['p99_ratio']:.2f}× ({', '.join(f'{r:.2f}' for r in s['p99_ratios'])})"
        runs = f"{s['runs']}" + (f" ({s['failed_runs']} failed)" if s["failed_runs"] else "")
        cells = [
            s["format"],
            f"{s['server']} {s['mode']}",
            s["processes"],
            s["database"],
            s["clients"],
            runs,
            s["votes_per_second"],
            s["p50_ms"],
            s["p99_ms"],
            ratio,
            s["server_cpu_ms_per_action"],
            s["lost"],
            s["duplicated"],
            s["errors"],
        ]
        lines.append("| " + " | ".join(_fmt(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.median", description=__doc__)
    parser.add_argument(
        "results", nargs="+", type=Path, help="JSON files of bench.run or bench.http"
    )
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    try:
        results = [json.loads(p.read_text()) for p in args.results]
    except (OSError, ValueError) as err:
        print(f"cannot read a result: {err}", file=sys.stderr)
        return 2
    if _is_http(results):
        summary = summarise_http(results)
        print(markdown_http(summary))
    else:
        summary = summarise(results)
        print(markdown(summary))
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
