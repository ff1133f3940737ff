"""HTTP benchmark: requests/s and p50/p99 of the main pages of one person with many dates.

`python -m bench.http [--databases sqlite,postgresql] [--clients 20] [--seconds 10]
[--dates 500]`. For each database: a fresh database (a SQLite file, or a throw-away PostgreSQL
database on 127.0.0.1, bench.databases), the data of bench.http_seed made through the app's
services, then peerlab as production serves it (bench.peerlab_server: create_app, one process,
gevent) and, page after page, `--clients` concurrent clients asking for it for `--seconds`
seconds, each waiting for its answer before the next request (keep-alive). Pages: the
dashboard, a Lean Coffee board, the unchanged personal feed asked without If-None-Match (200:
built once, then from the feed cache, ical/feed_cache.py) and with the ETag of the last answer
(304, nothing built). An answer with another status counts as an error. Each row also has the
server's CPU seconds per answer; the feed rows the time of the first (built) feed answer.
Prints a table; writes bench/results/http-<timestamp>.json and http-latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import http_seed
from bench.databases import DEFAULT_POSTGRES, TempDatabase
from bench.report import RESULTS, environment, percentile
from bench.servers import ServerProcess

FEED_200 = "feed 200 (no If-None-Match, unchanged)"
PAGES = ("dashboard", "board", FEED_200, "feed 304")
COLUMNS = (
    "database",
    "page",
    "clients",
    "requests",
    "req/s",
    "p50 ms",
    "p99 ms",
    "cpu ms/req",
    "errors",
)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients per page")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per page")
    parser.add_argument("--dates", type=int, default=500, help="dates of the person")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/")
    parser.add_argument("--json", type=Path, help="write the JSON here instead of bench/results/")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(args.databases) - {"sqlite", "postgresql"}
    if unknown or not args.databases:
        parser.error(f"--databases: sqlite and/or postgresql, not {sorted(unknown)}")
    if args.clients < 1 or args.seconds <= 0 or args.dates < 4:
        parser.error("--clients ≥ 1, --seconds > 0 and --dates ≥ 4")
    return args


async def _load(url: str, headers: dict[str, str], clients: int, seconds: float, expect: int):
    """`clients` workers asking for `url` until `seconds` have passed: latencies and errors."""
    import aiohttp

    latencies: list[float] = []
    errors: dict[str, int] = {}
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                try:
                    async with http.get(url, headers=headers, allow_redirects=False) as resp:
                        await resp.read()
                        status = resp.status
                except (aiohttp.ClientError, TimeoutError) as exc:
                    status = type(exc).__name__
                if status == expect:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _first(url: str, headers: dict[str, str]) -> tuple[int, str | None, bytes]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, resp.headers.get("ETag"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("ETag"), b""


def measure(base: str, seeded: http_seed.Seeded, args, database: str, cpu) -> list[dict]:
    """Every page in turn; `cpu()` gives the server's CPU seconds so far."""
    browser = {"Cookie": seeded.cookie, "User-Agent": http_seed.USER_AGENT}
    calendar_app = {"User-Agent": "peerlab-bench-calendar/1"}
    began = time.perf_counter()
    status, tag, body = _first(base + seeded.feed_path, calendar_app)
    first_feed_ms = _ms(time.perf_counter() - began)
    if status != 200 or tag is None:
        raise RuntimeError(f"the feed answered {status} without an ETag")
    events = body.count(b"BEGIN:VEVENT")
    plan = {
        "dashboard": ("/", browser, 200),
        "board": (seeded.board_path, browser, 200),
        FEED_200: (seeded.feed_path, calendar_app, 200),
        "feed 304": (seeded.feed_path, {**calendar_app, "If-None-Match": tag}, 304),
    }
    rows = []
    for page in PAGES:
        path, headers, expect = plan[page]
        first, _tag, _body = _first(base + path, headers)
        if first != expect:
            raise RuntimeError(f"{page}: {path} answered {first}, not {expect}")
        if args.warmup > 0:
            asyncio.run(_load(base + path, headers, args.clients, args.warmup, expect))
        cpu_before = cpu()
        latencies, errors, elapsed = asyncio.run(
            _load(base + path, headers, args.clients, args.seconds, expect)
        )
        cpu_used = cpu() - cpu_before
        rows.append(
            {
                "database": database,
                "page": page,
                "clients": args.clients,
                "requests": len(latencies),
                "req/s": round(len(latencies) / elapsed, 1),
                "p50 ms": _ms(percentile(latencies, 50)),
                "p99 ms": _ms(percentile(latencies, 99)),
                "cpu ms/req": round(cpu_used * 1000 / len(latencies), 1) if latencies else None,
                "errors": sum(errors.values()),
                "error_kinds": errors,
                "feed_events": events if page.startswith("feed") else None,
                "first_feed_ms": first_feed_ms if page.startswith("feed") else None,
            }
        )
        print(_line(rows[-1]), flush=True)
    return rows


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _line(row: dict) -> str:
    cells = ["-" if row.get(c) is None else str(row[c]) for c in COLUMNS]
    return "  ".join(cell.ljust(10) for cell in cells).rstrip()


def run_database(database: str, args, workdir: Path) -> list[dict]:
    """Seed a fresh database, start the server, measure every page, stop and clean up."""
    temp = TempDatabase(database, workdir, args.postgres_url)
    env = {
        "PEERLAB_SECRET_KEY": secrets.token_urlsafe(48),
        "PEERLAB_INSTANCE": str(workdir / "instance"),
    }
    server = None
    try:
        os.environ.update(env)  # the same secret and instance as the server
        from peerlab import create_app

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": temp.url,
                "SOCKETIO_ASYNC_MODE": "threading",
                "SCHEDULER": "external",
            }
        )
        began = time.perf_counter()
        seeded = http_seed.seed(app, args.dates, datetime.now(UTC))
        print(
            f"{database}: {args.dates} dates {seeded.counts} "
            f"seeded in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        server = ServerProcess(
            "bench.peerlab_server",
            async_mode="gevent",
            workdir=workdir,
            args=["--db", temp.url],
            env=env,
        ).start(timeout=60)
        cpu_before = server.cpu_seconds()
        rows = measure(server.url, seeded, args, database, server.cpu_seconds)
        cpu = server.cpu_seconds() - cpu_before
        for row in rows:
            row["server_cpu_s_all_pages"] = round(cpu, 1)
        return rows
    finally:
        if server is not None:
            server.stop()
        temp.drop()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    rows: list[dict] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="peerlab-bench-http-") as tmp:
        print("  ".join(c.ljust(10) for c in COLUMNS).rstrip(), flush=True)
        for database in args.databases:
            workdir = Path(tmp) / database
            workdir.mkdir()
            rows.extend(run_database(database, args, workdir))
    bad = [r for r in rows if r["errors"] or not r["requests"]]
    result = {
        "kind": "http",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": {
            "databases": args.databases,
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "dates": args.dates,
            "server": "bench.peerlab_server, one process, gevent",
        },
        "environment": {**environment(), "load_before": round(load_before, 2)},
        "runs": rows,
        "ok": not bad,
    }
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    elif not args.no_json:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = RESULTS / f"http-{stamp}.json"
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text)
        (RESULTS / "http-latest.json").write_text(text)
        print(f"JSON: {path}")
    if bad:
        print(f"errors or no answers: {[(r['database'], r['page']) for r in bad]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
