"""The bare reference: the same load shape against bench.bare_server (no logic, no DB, no auth).

For another format the shape follows that format (bench.formats): the same room size, the
same members acting, sequentially or at once; with `processes` > 1 the bare servers share a
Redis queue exactly as peerlab's web processes do (bench.cluster), without a scheduler.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.cluster import DEFAULT_REDIS, Fleet, new_channel
from bench.load import Participant, Plan
from bench.servers import ServerProcess


class BareWire:
    join_event = "join"
    vote_event = "vote"
    update_event = "update"
    private_events: tuple[str, ...] = ()

    def update_key(self, data: Any, state: dict | None = None) -> tuple[int, int] | None:
        if isinstance(data, dict) and "round" in data and "version" in data:
            return int(data["round"]), int(data["version"])
        return None

    def ack_tag(self, ack: Any) -> Any:
        if isinstance(ack, dict) and ack.get("ok"):
            return ack.get("version")
        return None

    def resolve(self, private: dict, tag: Any, nth: int = 0) -> int | None:
        return tag


class BareScenario:
    name = "bare"

    def __init__(
        self,
        workdir: Path,
        *,
        rounds: int,
        participants: int,
        votes: int,
        async_mode: str,
        faults: tuple[int, int] = (0, 0),
        actors: tuple[int, ...] | None = None,
        sequential: bool = False,
        processes: int = 1,
        redis_url: str = DEFAULT_REDIS,
    ):
        self.workdir = workdir
        # (drop every n-th, duplicate every n-th broadcast): only for `--self-check`
        self.faults = faults
        self.rounds = rounds
        self.participants = participants
        self.votes = votes
        self.async_mode = async_mode
        self.actors = actors  # None: everybody acts
        self.processes = processes
        self.redis_url = redis_url
        self.wire = BareWire()
        self.wire.sequential = sequential

    def prepare(self) -> Plan:
        return Plan(
            [self._round(r, self.participants) for r in range(1, self.rounds + 1)],
            warmup=self._round(0, 2, everybody=True),
        )

    def _round(self, r: int, size: int, *, everybody: bool = False) -> list[Participant]:
        topics = max(self.votes, 4)

        def acts(i: int) -> bool:
            return everybody or self.actors is None or i in self.actors

        return [
            Participant(
                round_key=r,
                index=i,
                headers={},
                join={"round": r},
                votes=[
                    {"round": r, "topic": (i + k) % topics}
                    for k in range(self.votes if acts(i) else 0)
                ],
                process=i % self.processes,
            )
            for i in range(size)
        ]

    def server(self) -> Fleet:
        drop, duplicate = self.faults
        args = ["--drop-every", str(drop), "--duplicate-every", str(duplicate)]
        if self.processes > 1:
            args += ["--message-queue", self.redis_url, "--channel", new_channel()]
            args += ["--processes", str(self.processes)]
        return Fleet(
            [
                ServerProcess(
                    "bench.bare_server",
                    async_mode=self.async_mode,
                    workdir=self.workdir,
                    args=[*args, "--process-index", str(n)],
                )
                for n in range(self.processes)
            ]
        )

    def verify(self, plan: Plan) -> list[str]:
        return []
