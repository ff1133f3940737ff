"""The bare reference: the same load shape against bench.bare_server (no logic, no DB, no auth)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load import Participant, Plan
from bench.servers import ServerProcess


class BareWire:
    join_event = "join"
    vote_event = "vote"
    update_event = "update"
    private_events: tuple[str, ...] = ()

    def update_key(self, data: Any) -> tuple[int, int] | None:
        if isinstance(data, dict) and "round" in data and "version" in data:
            return int(data["round"]), int(data["version"])
        return None

    def ack_tag(self, ack: Any) -> Any:
        if isinstance(ack, dict) and ack.get("ok"):
            return ack.get("version")
        return None

    def resolve(self, private: dict, tag: Any) -> int | None:
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
    ):
        self.workdir = workdir
        # (drop every n-th, duplicate every n-th broadcast): only for `--self-check`
        self.faults = faults
        self.rounds = rounds
        self.participants = participants
        self.votes = votes
        self.async_mode = async_mode
        self.wire = BareWire()

    def prepare(self) -> Plan:
        return Plan(
            [self._round(r, self.participants) for r in range(1, self.rounds + 1)],
            warmup=self._round(0, 2),
        )

    def _round(self, r: int, size: int) -> list[Participant]:
        topics = max(self.votes, 4)
        return [
            Participant(
                round_key=r,
                index=i,
                headers={},
                join={"round": r},
                votes=[{"round": r, "topic": (i + k) % topics} for k in range(self.votes)],
            )
            for i in range(size)
        ]

    def server(self) -> ServerProcess:
        drop, duplicate = self.faults
        faults = ["--drop-every", str(drop), "--duplicate-every", str(duplicate)]
        return ServerProcess(
            "bench.bare_server", async_mode=self.async_mode, workdir=self.workdir, args=faults
        )

    def verify(self, plan: Plan) -> list[str]:
        return []
