"""`make bench` / `python -m bench.run`: Socket.IO vote load against peerlab and a bare server.

For each async mode (threading, gevent) and each server (bare Flask-SocketIO, peerlab) in one
run: start the server as a subprocess on 127.0.0.1, connect ROUNDS × PARTICIPANTS real
Socket.IO clients (websocket), join each to its round, let everyone cast VOTES votes at once,
and measure. Prints a table, writes bench/results/bench-<timestamp>.json and latest.json.
Exit status 1 when an update was lost or duplicated, a vote failed, or a check failed.
See docs/benchmark.md.
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
from bench.databases import DEFAULT_POSTGRES
from bench.load import Limits, run_load

SERVERS = ("bare", "peerlab")
MODES = ("threading", "gevent")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=50, help="rounds (default 50)")
    parser.add_argument(
        "--participants", type=int, default=12, help="participants per round (default 12)"
    )
    parser.add_argument(
        "--votes",
        type=int,
        default=3,
        help="votes per participant, the round's budget (default 3, 1..10)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=10.0,
        help="seconds over which the rounds' start barriers are spread evenly; "
        "0 = every round at the same instant (default 10)",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="peerlab's database: a SQLite file (default) or a throw-away PostgreSQL database",
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES,
        help=f"PostgreSQL on 127.0.0.1 that may create databases (default {DEFAULT_POSTGRES})",
    )
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help="comma-separated: bare,peerlab (default both)"
    )
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated: threading,gevent (default both)"
    )
    parser.add_argument(
        "--connect-concurrency",
        type=int,
        default=25,
        help="connections being opened at the same time (default 25)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds to wait for one acknowledgement, and for all updates after the last "
        "vote was acknowledged; what is missing then counts as failed or lost (default 60)",
    )
    parser.add_argument(
        "--run-timeout",
        type=float,
        default=180.0,
        help="hard limit for one server/mode run in seconds (default 180)",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="only check the harness: a faulty bare server must show its losses and duplicates",
    )
    args = parser.parse_args(argv)
    args.servers = _choices(parser, args.servers, SERVERS, "--servers")
    args.modes = _choices(parser, args.modes, MODES, "--modes")
    if not 1 <= args.votes <= 10:
        parser.error("--votes must be between 1 and 10 (the round's budget)")
    if args.rounds < 1 or args.participants < 2:
        parser.error("--rounds must be ≥ 1 and --participants ≥ 2")
    return args


def _choices(
    parser: argparse.ArgumentParser, raw: str, allowed: tuple[str, ...], flag: str
) -> list[str]:
    picked = [x.strip() for x in raw.split(",") if x.strip()]
    unknown = [x for x in picked if x not in allowed]
    if unknown or not picked:
        parser.error(f"{flag}: choose from {', '.join(allowed)}")
    return picked


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def scenario_for(server: str, workdir: Path, args: argparse.Namespace, mode: str):
    options = {
        "rounds": args.rounds,
        "participants": args.participants,
        "votes": args.votes,
        "async_mode": mode,
    }
    if server == "bare":
        from bench.bare_scenario import BareScenario

        return BareScenario(workdir, **options, faults=getattr(args, "faults", (0, 0)))
    from bench.peerlab_scenario import PeerlabScenario

    return PeerlabScenario(
        workdir, **options, database=args.database, postgres_url=args.postgres_url
    )


def run_one(server: str, mode: str, args: argparse.Namespace) -> dict:
    shape = (server, mode, args.rounds, args.participants, args.votes)
    limits = Limits(
        connect_concurrency=args.connect_concurrency,
        call_timeout=args.timeout,
        settle_timeout=args.timeout,
        ramp=args.ramp,
    )
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="peerlab-bench-") as tmp:
        workdir = Path(tmp)
        process = None
        scenario = None
        try:
            scenario = scenario_for(server, workdir, args, mode)
            t0 = time.perf_counter()
            plan = scenario.prepare()
            log(
                f"{server}/{mode}: prepared {len(plan.participants)} participants "
                f"in {time.perf_counter() - t0:.1f} s"
            )
            process = scenario.server().start()
            outcome = asyncio.run(
                asyncio.wait_for(
                    run_load(
                        process.url,
                        plan,
                        scenario.wire,
                        limits,
                        on_phase=lambda msg: log(f"{server}/{mode}: {msg}"),
                        probe=process.cpu_seconds,
                    ),
                    args.run_timeout,
                )
            )
            process.stop()
            problems = scenario.verify(plan)
            if outcome.connect_failures:
                problems.append(
                    f"{len(outcome.connect_failures)} clients could not connect "
                    f"or join, e.g. {outcome.connect_failures[0]}"
                )
            if not outcome.settled:
                problems.append(f"not every update arrived within {args.timeout} s")
            if outcome.collisions:
                problems.append(f"{outcome.collisions} votes were tied to the same version")
            if outcome.foreign:
                problems.append(f"{outcome.foreign} updates reached another round's clients")
            return report.figures(
                *shape,
                outcome,
                cpu_seconds=outcome.probe_end - outcome.probe_start,
                problems=problems,
                load_before=load_before,
            )
        except Exception as err:  # a broken run is reported, the others still run
            reason = f"{type(err).__name__}: {err}"[:500]
            log(f"{server}/{mode} FAILED: {reason}")
            if process is not None:
                log("server log tail:\n" + process.log_tail(1500))
            return report.failed_row(*shape, reason)
        finally:
            if process is not None:
                process.stop()
            if scenario is not None and hasattr(scenario, "cleanup"):
                scenario.cleanup()


def self_check(args: argparse.Namespace) -> int:
    """Prove that the measurement can fail: a bare server that drops every 5th and duplicates
    every 7th broadcast must be reported with exactly the losses and duplicates it caused."""
    args.rounds, args.participants, args.votes, args.ramp = 2, 4, 3, 0.0
    args.timeout, args.faults = 3.0, (5, 7)
    row = run_one("bare", "threading", args)
    # Per round 12 votes → versions 1..12: 5 and 10 dropped, 7 sent twice; 4 receivers each.
    expected = {"lost": 2 * 2 * 4, "duplicated": 2 * 1 * 4, "votes": 24}
    seen = {key: row.get(key) for key in expected}
    ok = seen == expected
    print(f"self-check {'passed' if ok else 'FAILED'}: expected {expected}, measured {seen}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.self_check:
        return self_check(args)
    started = datetime.now(UTC)
    rows = []
    for mode in args.modes:
        for server in args.servers:
            log(
                f"{server}/{mode}: {args.rounds} rounds × {args.participants} participants × "
                f"{args.votes} votes, rounds start over {args.ramp:g} s "
                f"(machine load {os.getloadavg()[0]:.1f})"
            )
            row = run_one(server, mode, args)
            rows.append(row)
            if not row.get("failed"):
                log(
                    f"{server}/{mode}: {row['votes']} votes, p99 {row['p99_ms']} ms, "
                    f"lost {row['lost']}, duplicated {row['duplicated']}"
                )
    print(
        f"{args.rounds} rounds × {args.participants} participants × {args.votes} votes, "
        f"round start barriers spread over {args.ramp:g} s; one server process each; "
        f"peerlab on {args.database}"
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
            print(f"! {row['server']}/{row['mode']}: {problem}")
    result = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "command": "python -m bench.run " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "parameters": {
            "rounds": args.rounds,
            "participants": args.participants,
            "votes": args.votes,
            "ramp_seconds": args.ramp,
            "database": args.database,
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
    if not args.no_json:
        path = report.write(result)
        print(f"JSON: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
