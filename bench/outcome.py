"""What one run measured, computed from the clients' records (see bench.load)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.load import Client, VoteRecord


@dataclass
class Outcome:
    clients: int  # connected and joined
    connect_failures: list[str]
    votes: list[VoteRecord]
    latencies: list[float]  # seconds, one per accepted vote whose update reached everybody
    lost: int
    duplicated: int
    foreign: int
    unexpected: int  # round updates that no accepted vote of this run announced
    collisions: int  # accepted votes tied to a version another vote was already tied to
    started_at: float
    finished_at: float
    connect_seconds: float
    settled: bool
    # CPU seconds of each server-side process (name -> seconds) when the actions started ...
    probe_start: dict[str, float] = field(default_factory=dict)
    probe_end: dict[str, float] = field(default_factory=dict)  # ... and when all had arrived
    client_cpu_seconds: float = 0.0  # this process (all clients) over the same interval


def compute(
    ready: list[Client],
    failures: list[str],
    started_at: float,
    connect_seconds: float,
    settled: bool,
    *,
    counted: bool = False,
) -> Outcome:
    """`counted`: the wire numbers updates by arrival (no version on the wire), so a duplicate
    shows as one update more than announced: those count as duplicated."""
    members: dict[int, list[Client]] = {}
    for c in ready:
        members.setdefault(c.p.round_key, []).append(c)
    votes = [v for c in ready for v in c.votes]
    latencies: list[float] = []
    lost = 0
    finished_at = started_at
    for v in votes:
        if v.acked_at is not None:
            finished_at = max(finished_at, v.acked_at)
        if v.version is None:
            continue
        arrivals = [c.received.get(v.version) for c in members[v.round_key]]
        missing = sum(1 for a in arrivals if not a)
        lost += missing
        if missing == 0:
            last = max(a[0] for a in arrivals)
            latencies.append(last - v.sent_at)
            finished_at = max(finished_at, last)
    duplicated = sum(len(times) - 1 for c in ready for times in c.received.values())
    resolved = [(v.round_key, v.version) for v in votes if v.version is not None]
    collisions = len(resolved) - len(set(resolved))  # two votes tied to one version
    unexpected = sum(len(set(c.received) - (c.expected or set())) for c in ready)
    if counted:
        duplicated += unexpected
    return Outcome(
        clients=len(ready),
        connect_failures=failures,
        votes=votes,
        latencies=latencies,
        lost=lost,
        duplicated=duplicated,
        foreign=sum(c.foreign for c in ready),
        unexpected=unexpected,
        collisions=collisions,
        started_at=started_at,
        finished_at=finished_at,
        connect_seconds=connect_seconds,
        settled=settled,
    )
