"""peerlab under the load shape: real Lean Coffee rounds in the vote phase (docs/realtime.md).

Preparation runs in the benchmark's process, through the app's own services, on the database
the server subprocess will use: the schema (create_all), one organizer and the other
participants per round (accounts.service.create_user), each round created by its organizer with
the others invited, topics added, the round moved to the vote phase (lean_coffee services).
Every participant gets a real sign-in session from accounts.sessions.open_session inside a
request context, and the signed `peerlab_session` cookie is produced by the app's own session
interface. No test control or shortcut is involved: the server is the production app factory.

After the run the database must show every participant with exactly the budget used.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.load import Participant, Plan
from bench.peerlab_base import PeerlabBase

TOPICS_PER_ROUND = 6


class PeerlabWire:
    namespace = "/lean-coffee"  # protocol 2: Lean Coffee's own namespace
    join_event = "round:join"
    vote_event = "vote:cast"
    update_event = "vote:progress"  # {round_id, version, dots_cast, voters} to the round room
    private_events = ("round:me",)  # {round_id, version, me} to the voter's own room

    def update_key(self, data: Any, state: dict | None = None) -> tuple[int, int] | None:
        if isinstance(data, dict) and "round_id" in data and "version" in data:
            return int(data["round_id"]), int(data["version"])
        return None

    def ack_tag(self, ack: Any) -> Any:
        """An accepted vote is identified by the version in its ack, if the server sends one,
        else by the voter's `votes_used` after it (votes of one person are serialised)."""
        if not (isinstance(ack, dict) and ack.get("ok")):
            return None
        if isinstance(ack.get("version"), int):
            return ("version", ack["version"])
        me = ack.get("me") or {}
        if isinstance(me.get("votes_used"), int):
            return ("votes_used", me["votes_used"])
        return ("unknown", None)

    def resolve(self, private: dict[str, list[Any]], tag: Any, nth: int = 0) -> int | None:
        kind, value = tag
        if kind == "version":
            return value
        if kind == "votes_used":
            for data in private.get("round:me", []):
                me = (data or {}).get("me") or {}
                if me.get("votes_used") == value and isinstance(data.get("version"), int):
                    return data["version"]
        return None


class PeerlabScenario(PeerlabBase):
    format = "lean_coffee"

    def __init__(self, workdir: Path, **options):
        super().__init__(workdir, **options)
        self.wire = PeerlabWire()

    def prepare(self) -> Plan:
        from peerlab.extensions import db

        app = self.app()
        now = datetime.now(UTC)
        with app.app_context():
            db.create_all()
            warmup = self._round("warmup", 2, now)
            rounds = [self._round(str(r + 1), self.participants, now) for r in range(self.rounds)]
            db.session.remove()
            db.engine.dispose()
        return Plan(rounds, warmup=warmup)

    def _round(self, label: str, size: int, now: datetime) -> list[Participant]:
        """One round in the vote phase with `size` people, each with a signed session cookie."""
        from peerlab.extensions import db
        from peerlab.lean_coffee.service import rounds as round_service
        from peerlab.lean_coffee.service import topics as topic_service

        people = self.people(f"r{label}", size, now)
        settings = round_service.RoundSettings(
            title=f"Benchmark-Runde {label}",
            starts_at=now + timedelta(hours=1),
            vote_budget=self.votes,
            multiple_dots=True,
        )
        rnd = round_service.create_round(settings, creator=people[0], invitees=people[1:], now=now)
        db.session.commit()
        members = {p.user_id: p for p in _participants(rnd.id)}
        rnd = round_service.lock(rnd.id)
        topic_ids = [
            topic_service.add_topic(rnd, members[people[t % size].id], f"Thema {t + 1}", now=now).id
            for t in range(TOPICS_PER_ROUND)
        ]
        round_service.advance_phase(rnd, "vote", now=now)
        db.session.commit()
        return self.members(
            rnd.id,
            people,
            now,
            {"round_id": rnd.id},
            lambda i: [
                {"round_id": rnd.id, "topic_id": topic_ids[(i + k) % len(topic_ids)]}
                for k in range(self.votes)
            ],
        )

    def verify(self, plan: Plan) -> list[str]:
        """Every participant used exactly the budget, and the dots in the DB say the same."""
        from sqlalchemy import func, select

        from peerlab.extensions import db
        from peerlab.lean_coffee.models import Participant as Member
        from peerlab.lean_coffee.models import Vote

        problems: list[str] = []
        app = self.app()
        with app.app_context():
            for members in [*plan.rounds, plan.warmup]:
                round_id = members[0].round_key
                rows = db.session.execute(
                    select(Member.user_id, Member.votes_used, func.coalesce(func.sum(Vote.dots), 0))
                    .outerjoin(Vote, Vote.participant_id == Member.id)
                    .where(Member.round_id == round_id)
                    .group_by(Member.id, Member.user_id, Member.votes_used)
                ).all()
                wrong = [
                    (u, used, dots)
                    for u, used, dots in rows
                    if used != self.votes or dots != self.votes
                ]
                if len(rows) != len(members) or wrong:
                    problems.append(
                        f"round {round_id}: {len(rows)} participants, "
                        f"votes_used/dots not {self.votes} for {wrong[:3]}"
                    )
            db.session.remove()
            db.engine.dispose()
        return problems


def _participants(round_id: int):
    from sqlalchemy import select

    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant as Member

    return db.session.scalars(select(Member).where(Member.round_id == round_id)).all()
