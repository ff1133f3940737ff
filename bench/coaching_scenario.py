"""A peer-coaching session under the load shape (peerlab/coaching, namespace /coaching,
docs/coaching.md).

Per room one stand-alone session set up by its first person, an organizer, with
`coaching.service.setup.create_session`: the organizer moderates, the second person brings the
case, then up to 8 advisers, then a secretary and up to 5 observers (5–16 people). The
moderator starts it (`board.start`) and moves it on to the hypotheses phase
(`board.control(..., "advance")`). Everyone joins (`session:join`).

The live action is a card: in the hypotheses phase the advisers write, so each adviser sends
`card:add` (a named card) VOTES times at once. Every card changes the session and reaches the
room as `session:state` (the snapshot with the session `version` and all cards). The ack
names the new card's id; the card's version is the lowest version whose snapshot holds that
card (taken once the version before it has arrived: through Redis a later snapshot may overtake
it). After the run, every session must hold exactly the cards sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.load import Participant, Plan
from bench.peerlab_base import PeerlabBase

MIN_PEOPLE, MAX_PEOPLE = 5, 16
MAX_ADVISERS, MAX_OBSERVERS = 8, 5
HYPOTHESES = 4  # casting, story, key_question, questions, hypotheses


def roles(size: int) -> list[str]:
    """Role of each position: moderator, case giver, advisers, secretary, observers."""
    advisers = min(size - 2, MAX_ADVISERS)
    rest = size - 2 - advisers
    return (
        ["moderator", "case_giver"]
        + ["adviser"] * advisers
        + (["secretary"] if rest else [])
        + ["observer"] * max(rest - 1, 0)
    )


def shape(participants: int) -> tuple[int, tuple[int, ...], bool]:
    size = min(max(participants, MIN_PEOPLE), MAX_PEOPLE)
    acting = tuple(i for i, role in enumerate(roles(size)) if role == "adviser")
    return size, acting, False


class CoachingWire:
    namespace = "/coaching"
    join_event = "session:join"
    vote_event = "card:add"
    update_event = "session:state"  # the snapshot, to the session's room
    private_events: tuple[str, ...] = ()
    keep_updates = True

    def update_key(self, data: Any, state: dict | None = None) -> tuple[int, int] | None:
        if isinstance(data, dict) and "session_id" in data and "version" in data:
            return int(data["session_id"]), int(data["version"])
        return None

    def ack_tag(self, ack: Any) -> Any:
        if isinstance(ack, dict) and ack.get("ok") and isinstance(ack.get("card_id"), int):
            return ack["card_id"]
        return None

    def resolve(self, private: dict[str, list[Any]], tag: Any, nth: int = 0) -> int | None:
        """The lowest version holding the card, once the version before it has arrived too:
        through the message queue a later snapshot (which also holds the card) may overtake
        the card's own; every change raises the version by one."""
        seen = [data for data in private.get(self.update_event, []) if isinstance(data, dict)]
        holding = [
            int(data["version"])
            for data in seen
            if any(card.get("id") == tag for card in data.get("cards") or [])
        ]
        first = min(holding, default=None)
        if first is None or first - 1 not in {int(data["version"]) for data in seen}:
            return None
        return first


class CoachingScenario(PeerlabBase):
    format = "coaching"

    def __init__(self, workdir: Path, **options):
        super().__init__(workdir, **options)
        self.wire = CoachingWire()
        self.size, self.acting, _sequential = shape(self.participants)

    def prepare(self) -> Plan:
        now = datetime.now(UTC)
        with self.app().app_context():
            self.create_schema()
            warmup = self._room("kw", MIN_PEOPLE, now)
            rooms = [self._room(f"k{r + 1}", self.size, now) for r in range(self.rounds)]
            self.finish_prepare()
        return Plan(rooms, warmup=warmup)

    def _room(self, label: str, size: int, now: datetime) -> list[Participant]:
        from peerlab.coaching import access
        from peerlab.coaching.service import board, setup
        from peerlab.extensions import db

        people = self.people(label, size, now)
        cast = roles(size)
        ids: dict[str, list[int]] = {}
        for user, role in zip(people, cast, strict=True):
            ids.setdefault(role, []).append(user.id)
        session = setup.create_session(
            setup.SessionSetup(
                title=f"Benchmark-Beratung {label}",
                starts_at=now + timedelta(minutes=5),
                case_giver=ids["case_giver"][0],
                moderator=ids["moderator"][0],
                advisers=tuple(ids["adviser"]),
                secretary=(ids.get("secretary") or [None])[0],
                observers=tuple(ids.get("observer", [])),
            ),
            creator=people[0],
            now=now,
        )
        db.session.commit()
        lead = self.actor(people[0])
        session = board.lock(session.id)
        me = access.membership(session, lead)
        board.start(session, me, lead, now)
        for index in range(HYPOTHESES):
            board.control(session, me, lead, "advance", now, expected_index=index)
        db.session.commit()
        return self.members(
            session.id,
            people,
            now,
            {"session_id": session.id},
            lambda i: [
                {"session_id": session.id, "text": f"Hypothese {i}.{k + 1}", "anonymous": False}
                for k in range(self.votes if cast[i] == "adviser" else 0)
            ],
        )

    def verify(self, plan: Plan) -> list[str]:
        """Every session holds exactly the cards its advisers sent, all in the hypotheses."""

        def check() -> list[str]:
            from sqlalchemy import func, select

            from peerlab.coaching.models import CoachingCard
            from peerlab.extensions import db

            problems = []
            for members in [*plan.rounds, plan.warmup]:
                session_id = members[0].round_key
                count = db.session.scalar(
                    select(func.count(CoachingCard.id)).where(
                        CoachingCard.session_id == session_id,
                        CoachingCard.phase == "hypotheses",
                    )
                )
                expected = sum(len(p.votes) for p in members)
                if count != expected:
                    problems.append(f"session {session_id}: {count} cards, not {expected}")
            return problems

        return self.checked(check)
