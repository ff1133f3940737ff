"""Command-line options of `python -m bench.run` (docs/benchmark.md, "Parameters")."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.cluster import DEFAULT_REDIS
from bench.databases import DEFAULT_POSTGRES
from bench.formats import FORMATS

SERVERS = ("bare", "peerlab")
MODES = ("threading", "gevent")


def parse(argv: list[str] | None, description: str = "") -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--format",
        default="lean_coffee",
        help="comma-separated live formats: lean_coffee, circle, coaching, group, or all "
        "(default lean_coffee)",
    )
    parser.add_argument("--rounds", type=int, default=50, help="rooms per format (default 50)")
    parser.add_argument(
        "--participants",
        type=int,
        default=12,
        help="people per room (default 12; a circle has at most 8, a coaching session 5-16, "
        "a group 3-30)",
    )
    parser.add_argument(
        "--votes",
        type=int,
        default=3,
        help="actions per acting participant (default 3, 1..10): Lean Coffee votes (the "
        "round's budget), circle timer extensions, coaching cards, group replies",
    )
    parser.add_argument(
        "--processes",
        default="1",
        help="comma-separated numbers of web processes, e.g. 1,2 (default 1); more than one: "
        "on PostgreSQL, with a Redis message queue and a separate scheduler (bench.cluster)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help=f"Redis on 127.0.0.1 for several processes (default {DEFAULT_REDIS})",
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
        "--json", type=Path, default=None, help="write the JSON to this file only (not results/)"
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="only check the harness: a faulty bare server must show its losses and duplicates",
    )
    args = parser.parse_args(argv)
    args.servers = _choices(parser, args.servers, SERVERS, "--servers")
    args.modes = _choices(parser, args.modes, MODES, "--modes")
    raw = "lean_coffee,circle,coaching,group" if args.format.strip() == "all" else args.format
    args.formats = _choices(parser, raw, tuple(FORMATS), "--format")
    try:
        args.processes = sorted({int(x) for x in args.processes.split(",") if x.strip()})
    except ValueError:
        parser.error("--processes: whole numbers, e.g. 1,2")
    if not args.processes or not all(1 <= n <= 4 for n in args.processes):
        parser.error("--processes: between 1 and 4")
    if not 1 <= args.votes <= 10:
        parser.error("--votes must be between 1 and 10")
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
