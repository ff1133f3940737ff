"""The load shape: R rounds × N participants, each a real Socket.IO client over websocket.

Every participant connects (with its own cookie), joins its round's room, and when its round's
start barrier opens casts its V votes at once (the rounds' barriers open together, or spread
over `ramp` seconds). Each accepted vote is tied to the round version it produced (from its
acknowledgement, or from the voter's private update, see the Wire); every participant records
when it receives the round broadcast of that version. From this:
time from a vote being sent to the LAST participant of the round receiving its update, lost
updates (a participant never received an acknowledged vote's version) and duplicated updates
(a participant received one version twice). All timestamps come from one monotonic clock in
this process, so no clock offsets enter the figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import socketio

from bench.outcome import Outcome, compute


@dataclass
class Participant:
    round_key: int  # the round id the protocol uses
    index: int  # position in the round (0..N-1)
    headers: dict[str, str]  # e.g. the signed session cookie
    votes: list[dict]  # one payload per vote
    join: dict = field(default_factory=dict)  # the join payload
    user_id: int | None = None
    process: int = 0  # which server process this client connects to (index into the URLs)


@dataclass
class Plan:
    rounds: list[list[Participant]]
    # An extra round that votes before the measurement, so the server's first-use costs
    # (statement compilation, lazy imports) do not land in the measured votes.
    warmup: list[Participant] = field(default_factory=list)

    @property
    def participants(self) -> list[Participant]:
        return [p for members in self.rounds for p in members]


class Wire(Protocol):
    """How one server speaks: event names, payloads and how to read versions.

    Optional attributes a wire may have: `namespace` (default "/"); `keep_updates` (keep every
    received update in `private[update_event]`, for `resolve`); `sequential` (a participant
    sends its actions one after the other, each after the previous one's answer); `counted`
    (versions are numbered by arrival, see bench.outcome); `async act(client, payload,
    limits)` (the action is not a Socket.IO call, e.g. an HTTP form post) and `async close()`.
    """

    join_event: str
    vote_event: str
    update_event: str

    def update_key(self, data: Any, state: dict) -> tuple[int, int] | None:
        """(round_key, version) of a received broadcast, None when it is not a round update;
        `state` is the receiving client's own scratch dict."""

    private_events: tuple[str, ...]  # events to keep per client for `resolve`

    def ack_tag(self, ack: Any) -> Any:
        """What identifies an accepted vote in its acknowledgement; None: the vote was refused."""

    def resolve(self, private: dict[str, list[Any]], tag: Any, nth: int) -> int | None:
        """The round version an accepted vote produced, from its tag and the private events;
        `nth`: how many of this client's accepted actions had the same tag before it."""


@dataclass
class Limits:
    connect_timeout: float = 15.0
    call_timeout: float = 60.0  # one acknowledgement
    settle_timeout: float = 60.0  # every expected update, after the last vote was acknowledged
    quiet: float = 0.5  # pause after joining, so join broadcasts are not mixed with votes
    grace: float = 0.5  # extra listening after the last expected update, to catch duplicates
    connect_concurrency: int = 25
    ramp: float = 0.0  # the rounds' start barriers are spread evenly over this many seconds


@dataclass
class VoteRecord:
    round_key: int
    sent_at: float
    acked_at: float | None = None
    tag: Any = None
    version: int | None = None
    error: str | None = None


class Client:
    def __init__(self, participant: Participant, wire: Wire):
        self.p = participant
        self.wire = wire
        # Headers go straight onto the websocket handshake: handing a Cookie header to
        # connect() would route it through aiohttp's cookie jar, which skips IP-address hosts.
        self.sio = socketio.AsyncClient(
            reconnection=False,
            request_timeout=10,
            websocket_extra_options={"headers": dict(participant.headers)},
        )
        self.recording = False
        self.received: dict[int, list[float]] = {}  # version -> receive times (this round)
        self.foreign = 0  # updates of another round (must never happen: rooms leak)
        self.expected: set[int] | None = None
        self.complete = asyncio.Event()
        self.votes: list[VoteRecord] = []
        self.private: dict[str, list[Any]] = {name: [] for name in wire.private_events}
        self.state: dict = {}  # the wire's per-client scratch space (update_key)
        self.keep = bool(getattr(wire, "keep_updates", False))
        if self.keep:
            self.private[wire.update_event] = []
        self.url = ""
        self.connected = False
        self.joined = False
        self.namespace = getattr(wire, "namespace", "/")
        self.sio.on(wire.update_event, self._on_update, namespace=self.namespace)
        for name in wire.private_events:
            self.sio.on(name, self._keeper(name), namespace=self.namespace)

    def _keeper(self, name: str):
        async def keep(data: Any = None) -> None:
            if self.recording:
                self.private[name].append(data)

        return keep

    async def _on_update(self, data: Any = None) -> None:
        at = time.perf_counter()
        if self.keep:  # also before recording: the state a change started from
            self.private[self.wire.update_event].append(data)
        if not self.recording:
            return
        key = self.wire.update_key(data, self.state)
        if key is None:
            return
        round_key, version = key
        if round_key != self.p.round_key:
            self.foreign += 1
            return
        self.received.setdefault(version, []).append(at)
        self._check()

    def _check(self) -> None:
        if self.expected is not None and self.expected.issubset(self.received):
            self.complete.set()

    def expect(self, versions: set[int]) -> None:
        self.expected = versions
        self._check()

    async def connect(self, url: str, limits: Limits) -> None:
        self.url = url  # also where a wire's HTTP action goes
        await asyncio.wait_for(
            self.sio.connect(
                url,
                transports=["websocket"],
                namespaces=[self.namespace],
                wait_timeout=limits.connect_timeout,
            ),
            limits.connect_timeout,
        )
        self.connected = True
        ack = await self.sio.call(
            self.wire.join_event, self.p.join, namespace=self.namespace, timeout=limits.call_timeout
        )
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"join refused: {ack!r}")
        self.joined = True

    async def cast(self, payload: dict, limits: Limits) -> None:
        record = VoteRecord(self.p.round_key, time.perf_counter())
        self.votes.append(record)
        act = getattr(self.wire, "act", None)
        try:
            if act is not None:
                ack = await act(self, payload, limits)
            else:
                ack = await self.sio.call(
                    self.wire.vote_event,
                    payload,
                    namespace=self.namespace,
                    timeout=limits.call_timeout,
                )
        except Exception as err:  # timeout or disconnect: the vote counts as failed
            record.error = type(err).__name__
            return
        record.acked_at = time.perf_counter()
        record.tag = self.wire.ack_tag(ack)
        if record.tag is None:
            record.error = (ack.get("error") if isinstance(ack, dict) else None) or repr(ack)

    def resolve_votes(self, *, final: bool) -> int:
        """Tie accepted actions to versions; returns how many are still open. The update that
        ties an action may arrive after its acknowledgement (through the message queue it
        usually does), so this is tried again until `final`, when what is open is an error."""
        seen: dict[Any, int] = {}  # how many accepted actions with the same tag came before
        still_open = 0
        for record in self.votes:
            if record.tag is None:
                continue
            key = repr(record.tag)
            nth = seen.get(key, 0)
            seen[key] = nth + 1
            if record.version is None:
                record.version = self.wire.resolve(self.private, record.tag, nth)
            if record.version is None:
                still_open += 1
                if final:
                    record.error = "unresolved"
        return still_open

    async def cast_all(self, limits: Limits) -> None:
        if getattr(self.wire, "sequential", False):
            for payload in self.p.votes:
                await self.cast(payload, limits)
            return
        await asyncio.gather(*(self.cast(payload, limits) for payload in self.p.votes))

    async def close(self) -> None:
        # The run is over: a stuck socket must not hang it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.sio.disconnect(), 5)


async def run_load(
    urls: list[str],
    plan: Plan,
    wire: Wire,
    limits: Limits,
    on_phase: Callable[[str], None] = lambda _msg: None,
    probe: Callable[[], dict[str, float]] = dict,
) -> Outcome:
    """Connect every participant to its process (`urls[p.process]`), warm up, act, measure."""
    clients = [Client(p, wire) for p in plan.participants]
    warm = [Client(p, wire) for p in plan.warmup]
    gate = asyncio.Semaphore(limits.connect_concurrency)
    failures: list[str] = []

    async def connect(client: Client) -> None:
        async with gate:
            try:
                await client.connect(urls[client.p.process % len(urls)], limits)
            except Exception as err:
                failures.append(f"{type(err).__name__}: {err}"[:200])

    t_connect = time.perf_counter()
    try:
        await asyncio.gather(*(connect(c) for c in clients))
        connect_seconds = time.perf_counter() - t_connect
        ready = [c for c in clients if c.joined]
        on_phase(f"{len(ready)}/{len(clients)} clients joined in {connect_seconds:.1f} s")
        await asyncio.gather(*(connect(c) for c in warm))
        await asyncio.gather(*(c.cast_all(limits) for c in warm if c.joined))
        warm_errors = [v.error for c in warm for v in c.votes if v.error]
        if len(warm) and (warm_errors or not all(c.joined for c in warm)):
            failures.append(f"warm-up round failed: {warm_errors[:3]}")
        await asyncio.sleep(limits.quiet)
        for c in ready:
            c.recording = True

        # Start barriers: one per round, opening together or spread over `ramp` seconds.
        probe_start = probe()
        own_cpu = time.process_time()
        started_at = time.perf_counter()
        rounds: dict[int, list[Client]] = {}
        for c in ready:
            rounds.setdefault(c.p.round_key, []).append(c)

        async def start_round(n: int, members: list[Client]) -> None:
            # Round n's barrier opens at n × ramp / R; then all its members vote at once.
            delay = started_at + n * limits.ramp / len(rounds) - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await asyncio.gather(*(c.cast_all(limits) for c in members))

        await asyncio.gather(*(start_round(n, m) for n, m in enumerate(rounds.values())))
        resolve_until = time.perf_counter() + limits.settle_timeout
        while sum(c.resolve_votes(final=False) for c in ready) and (
            time.perf_counter() < resolve_until
        ):
            await asyncio.sleep(0.05)
        for c in ready:
            c.resolve_votes(final=True)
        by_round: dict[int, set[int]] = {}
        for c in ready:
            for v in c.votes:
                if v.version is not None:
                    by_round.setdefault(v.round_key, set()).add(v.version)
        for c in ready:
            c.expect(by_round.get(c.p.round_key, set()))
        settled = True
        try:
            await asyncio.wait_for(
                asyncio.gather(*(c.complete.wait() for c in ready)), limits.settle_timeout
            )
        except TimeoutError:
            settled = False
        probe_end = probe()
        own_cpu = time.process_time() - own_cpu
        await asyncio.sleep(limits.grace)
        for c in ready:
            c.recording = False
    finally:
        await asyncio.gather(*(c.close() for c in clients + warm))
        closer = getattr(wire, "close", None)
        if closer is not None:
            await closer()
    counted = bool(getattr(wire, "counted", False))
    outcome = compute(ready, failures, started_at, connect_seconds, settled, counted=counted)
    outcome.probe_start, outcome.probe_end = probe_start, probe_end
    outcome.client_cpu_seconds = own_cpu
    return outcome
