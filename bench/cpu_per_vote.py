"""Server CPU per Lean Coffee vote, in one process, without the network (docs/benchmark.md).

`python -m bench.cpu_per_vote [--rounds 5] [--people 12] [--topics 6] [--votes 4] [--profile]`

Prepares rounds the way `make bench` does (bench.peerlab_scenario: real users, a real sign-in
cookie each, the round in the vote phase) on a fresh SQLite file, connects every participant
with Flask-SocketIO's test client (the production app, the real `/lean-coffee` namespace, the
cookie sent by a Flask test client) and lets each `round:join`. Then every participant casts
`--votes` votes with `vote:cast`, the same packet a browser sends. The figure is
`time.process_time()` over all votes divided by the number of accepted votes: the server's
whole work for a vote (access check, lock, write, payloads, emits to every participant's test
client, commit) plus the test client's decoding of what it receives, which is small.

One warm-up round votes first and is not measured (statement compilation, lazy imports).
`--profile` runs the measured votes under cProfile (timed by process CPU time, so a busy
machine does not distort it) and prints the top cumulative functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from bench import peerlab_scenario


def connect(app, participant):
    from peerlab.extensions import socketio

    http = app.test_client()
    cookie = participant.headers["Cookie"].split("=", 1)[1]
    http.set_cookie("peerlab_session", cookie)
    sock = socketio.test_client(
        app,
        namespace=peerlab_scenario.PeerlabWire.namespace,
        flask_test_client=http,
        headers={"User-Agent": participant.headers["User-Agent"]},
    )
    ack = sock.emit("round:join", participant.join, callback=True, namespace="/lean-coffee")
    if not (isinstance(ack, dict) and ack.get("ok")):
        raise SystemExit(f"join refused: {ack}")
    sock.get_received("/lean-coffee")
    return sock


def vote_all(rows) -> int:
    """Every participant of the given rounds casts all votes, round after round, in turns."""
    accepted = 0
    for members, socks in rows:
        for k in range(len(members[0].votes)):
            for member, sock in zip(members, socks, strict=True):
                ack = sock.emit(
                    "vote:cast", member.votes[k], callback=True, namespace="/lean-coffee"
                )
                if not (isinstance(ack, dict) and ack.get("ok")):
                    raise SystemExit(f"vote refused: {ack}")
                accepted += 1
            for sock in socks:
                sock.get_received("/lean-coffee")
    return accepted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument("--topics", type=int, default=6)
    parser.add_argument("--votes", type=int, default=4, help="votes per participant")
    parser.add_argument("--repeat", type=int, default=3, help="measured passes (median)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    peerlab_scenario.TOPICS_PER_ROUND = args.topics

    with tempfile.TemporaryDirectory() as tmp:
        scenario = peerlab_scenario.PeerlabScenario(
            Path(tmp),
            rounds=args.rounds * args.repeat,
            participants=args.people,
            votes=args.votes,
            async_mode="threading",
        )
        plan = scenario.prepare()
        app = scenario.app()
        warm = [(plan.warmup, [connect(app, p) for p in plan.warmup])]
        vote_all(warm)
        passes = [plan.rounds[i * args.rounds : (i + 1) * args.rounds] for i in range(args.repeat)]
        figures = []
        # CPU time, not wall time: on a shared machine, waiting for a core is not the vote's cost.
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        for rounds in passes:
            rows = [(members, [connect(app, p) for p in members]) for members in rounds]
            start = time.process_time()
            if profiler:
                profiler.enable()
            accepted = vote_all(rows)
            if profiler:
                profiler.disable()
            figures.append((time.process_time() - start) / accepted)
            for _members, socks in rows:
                for sock in socks:
                    sock.disconnect("/lean-coffee")
        problems = scenario.verify(type(plan)([m for r in passes for m in r], warmup=plan.warmup))
        per_vote = statistics.median(figures)
        print(
            f"CPU per vote: {per_vote * 1000:.2f} ms (median of {args.repeat} passes: "
            + ", ".join(f"{f * 1000:.2f}" for f in figures)
            + f"; {args.rounds} rounds x {args.people} people x {args.votes} votes,"
            f" {args.topics} topics, SQLite)"
        )
        if problems:
            raise SystemExit("check failed: " + "; ".join(problems))
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
