"""`make bench` / `python -m bench.run`: Socket.IO load on peerlab's live formats and a bare server.

For each live format (Lean Coffee votes by default; circle meetings, coaching sessions and
group threads with `--format`), each number of web processes (`--processes 1,2`), each async
mode and each server (bare Flask-SocketIO, peerlab): start the server process(es) on
127.0.0.1, connect ROOMS × PARTICIPANTS real Socket.IO clients (websocket only, spread over the
processes), join each to its room, let the acting participants act at once, and measure how
long each change takes to reach every member of its room. Prints a table, writes
bench/results/bench-<timestamp>.json and latest.json. Exit status 1 when an update was lost
or duplicated, an action failed, or a check failed. See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.cluster import check_redis
from bench.formats import scenario_class, shape
from bench.load import Limits, run_load
from bench.options import parse


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def database_for(args: argparse.Namespace, processes: int) -> str:
    """Several processes share one database: always PostgreSQL there."""
    return "postgresql" if processes > 1 else args.database


def scenario_for(fmt: str, server: str, workdir: Path, args, mode: str, processes: int):
    options = {
        "rounds": args.rounds,
        "participants": args.participants,
        "votes": args.votes,
        "async_mode": mode,
        "processes": processes,
        "redis_url": args.redis_url,
    }
    if server == "bare":
        from bench.bare_scenario import BareScenario

        size, actors, sequential = shape(fmt, args.participants)
        options["participants"] = size
        return BareScenario(
            workdir,
            **options,
            faults=getattr(args, "faults", (0, 0)),
            actors=actors,
            sequential=sequential,
        )
    return scenario_class(fmt)(
        workdir,
        **options,
        database=database_for(args, processes),
        postgres_url=args.postgres_url,
    )


def run_one(fmt: str, server: str, mode: str, processes: int, args: argparse.Namespace) -> dict:
    size = shape(fmt, args.participants)[0]
    row_shape = {
        "format": fmt,
        "server": server,
        "mode": mode,
        "processes": processes,
        "database": database_for(args, processes) if server == "peerlab" else "-",
        "rounds": args.rounds,
        "participants_per_round": size,
        "votes_per_participant": args.votes,
        "load_before": round(os.getloadavg()[0], 2),
    }
    name = f"{fmt}/{server}/{mode}/{processes}p"
    limits = Limits(
        connect_concurrency=args.connect_concurrency,
        call_timeout=args.timeout,
        settle_timeout=args.timeout,
        ramp=args.ramp,
    )
    with tempfile.TemporaryDirectory(prefix="peerlab-bench-") as tmp:
        workdir = Path(tmp)
        fleet = None
        scenario = None
        try:
            if processes > 1:
                check_redis(args.redis_url)
            scenario = scenario_for(fmt, server, workdir, args, mode, processes)
            t0 = time.perf_counter()
            plan = scenario.prepare()
            log(
                f"{name}: prepared {len(plan.participants)} participants "
                f"in {time.perf_counter() - t0:.1f} s"
            )
            fleet = scenario.server().start()
            outcome = asyncio.run(
                asyncio.wait_for(
                    run_load(
                        fleet.urls,
                        plan,
                        scenario.wire,
                        limits,
                        on_phase=lambda msg: log(f"{name}: {msg}"),
                        probe=fleet.cpu_seconds,
                    ),
                    args.run_timeout,
                )
            )
            gone = fleet.exited()
            fleet.stop()
            problems = scenario.verify(plan)
            if gone:
                problems.append(f"server processes ended during the run: {', '.join(gone)}")
            if outcome.connect_failures:
                problems.append(
                    f"{len(outcome.connect_failures)} clients could not connect "
                    f"or join, e.g. {outcome.connect_failures[0]}"
                )
            if not outcome.settled:
                problems.append(f"not every update arrived within {args.timeout} s")
            if outcome.collisions:
                problems.append(f"{outcome.collisions} actions were tied to the same version")
            if outcome.foreign:
                problems.append(f"{outcome.foreign} updates reached another room's clients")
            if problems or any(v.error for v in outcome.votes):
                log(f"{name}: server log tail:\n" + fleet.log_tail(1500))
            return report.figures(row_shape, outcome, problems=problems)
        except Exception as err:  # a broken run is reported, the others still run
            reason = f"{type(err).__name__}: {err}"[:500]
            log(f"{name} FAILED: {reason}")
            if fleet is not None:
                log("server log tail:\n" + fleet.log_tail(1500))
            return report.failed_row(row_shape, reason)
        finally:
            if fleet is not None:
                fleet.stop()
            if scenario is not None and hasattr(scenario, "cleanup"):
                scenario.cleanup()


def self_check(args: argparse.Namespace) -> int:
    """Prove that the measurement can fail: a bare server that drops every 5th and duplicates
    every 7th broadcast must be reported with exactly the losses and duplicates it caused."""
    args.rounds, args.participants, args.votes, args.ramp = 2, 4, 3, 0.0
    args.timeout, args.faults = 3.0, (5, 7)
    row = run_one("lean_coffee", "bare", "threading", 1, args)
    # Per round 12 votes → versions 1..12: 5 and 10 dropped, 7 sent twice; 4 receivers each.
    expected = {"lost": 2 * 2 * 4, "duplicated": 2 * 1 * 4, "votes": 24}
    seen = {key: row.get(key) for key in expected}
    ok = seen == expected
    print(f"self-check {'passed' if ok else 'FAILED'}: expected {expected}, measured {seen}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = parse(argv, __doc__)
    if args.self_check:
        return self_check(args)
    started = datetime.now(UTC)
    rows = []
    for fmt in args.formats:
        for processes in args.processes:
            for mode in args.modes:
                for server in args.servers:
                    log(
                        f"{fmt}/{server}/{mode}/{processes}p: {args.rounds} rooms × "
                        f"{shape(fmt, args.participants)[0]} participants, {args.votes} actions "
                        f"each who acts, rooms start over {args.ramp:g} s "
                        f"(machine load {os.getloadavg()[0]:.1f})"
                    )
                    row = run_one(fmt, server, mode, processes, args)
                    rows.append(row)
                    if not row.get("failed"):
                        log(
                            f"{fmt}/{server}/{mode}/{processes}p: {row['votes']} actions, "
                            f"p99 {row['p99_ms']} ms, lost {row['lost']}, "
                            f"duplicated {row['duplicated']}"
                        )
    print(
        f"{args.rounds} rooms per format, {args.votes} actions per acting participant, room "
        f"start barriers spread over {args.ramp:g} s; peerlab on {args.database} with one "
        "process, on postgresql with several (Redis queue, separate scheduler)"
    )
    print(report.table(rows))
    ratios = report.ratios(rows)
    for name, entry in ratios.items():
        print(f"{name} vs bare: " + ", ".join(f"{k} {v}" for k, v in entry.items()))
    bad = [
        r
        for r in rows
        if r.get("failed")
        or r.get("lost")
        or r.get("duplicated")
        or r.get("errors")
        or r.get("problems")
    ]
    for row in bad:
        for problem in row.get("problems", []):
            print(f"! {row['format']}/{row['server']}/{row['mode']}/{row['processes']}p: {problem}")
    result = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "command": "python -m bench.run " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "parameters": {
            "formats": args.formats,
            "rounds": args.rounds,
            "participants": args.participants,
            "votes": args.votes,
            "ramp_seconds": args.ramp,
            "database": args.database,
            "processes": args.processes,
            "servers": args.servers,
            "modes": args.modes,
            "connect_concurrency": args.connect_concurrency,
            "timeout": args.timeout,
            "run_timeout": args.run_timeout,
        },
        "environment": report.environment(),
        "runs": rows,
        "ratios": ratios,
        "ok": not bad,
    }
    if args.json is not None or not args.no_json:
        path = report.write(result, args.json)
        print(f"JSON: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
