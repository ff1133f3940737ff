"""A group's threads under the load shape (peerlab/groups, namespace /groups, docs/groups.md).

Per room one confidential group created by its first person
(`groups.service.groups.create_group`), the others admitted with their real names
(`groups.service.groups.admit`, rule accepted); each member has started a thread
(`groups.service.threads.start_thread`). Every member's socket watches the group
(`group:watch`).

The live action is a reply. Replies are a form post, as on the thread page: `POST
/gruppen/<group>/themen/<thread>/antworten` with the session cookie and the CSRF token of that
session (Flask-WTF's, from the same sign-in), redirect not followed. Each reply reaches the
group's room as `group:changed {thread}` — nothing else: no version, no content (each page
then fetches what its reader may see; that fetch is not part of this benchmark).

Tying a reply to its notice: the notice names only the thread. So each member replies in the
thread they started, VOTES times one after the other; the n-th notice of thread T a client
receives is the n-th reply in T (versions are numbered by arrival per client and thread, and
a notice more than the replies counts as duplicated — a loss and a duplicate of the same
thread at the same client would cancel out). After the run, every thread must hold its first
post plus exactly the replies sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import Participant, Plan
from bench.peerlab_base import PeerlabBase

MIN_SIZE, MAX_SIZE = 3, 30
SLOT = 1000  # version = member position × SLOT + reply number


def shape(participants: int) -> tuple[int, tuple[int, ...], bool]:
    size = min(max(participants, MIN_SIZE), MAX_SIZE)
    return size, tuple(range(size)), True


class GroupWire:
    namespace = "/groups"
    join_event = "group:watch"
    vote_event = "reply"  # an HTTP form post (act), not a Socket.IO event
    update_event = "group:changed"
    private_events: tuple[str, ...] = ()
    sequential = True
    counted = True

    def __init__(self) -> None:
        self.threads: dict[str, tuple[int, int]] = {}  # public id -> (group id, position)
        self._http = None

    def update_key(self, data: Any, state: dict) -> tuple[int, int] | None:
        where = self.threads.get((data or {}).get("thread")) if isinstance(data, dict) else None
        if where is None:
            return None
        state[data["thread"]] = n = state.get(data["thread"], 0) + 1
        group_id, position = where
        return group_id, position * SLOT + n

    async def act(self, client, payload: dict, limits) -> dict:
        import aiohttp

        if self._http is None:
            self._http = aiohttp.ClientSession(
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=limits.call_timeout),
            )
        async with self._http.post(
            client.url + payload["path"],
            data={"csrf_token": payload["csrf_token"], "body": payload["body"]},
            headers=client.p.headers,
            allow_redirects=False,
        ) as response:
            await response.read()
            # Accepted: back to the thread (a redirect elsewhere, e.g. to a sign-in step, is not)
            thread_page = payload["path"].rsplit("/", 1)[0]
            where = response.headers.get("Location", "")
            ok = response.status in (302, 303) and where.split("#")[0].endswith(thread_page)
        if not ok:
            return {"ok": False, "error": f"http_{response.status}"}
        # The n-th ACCEPTED reply makes the n-th notice of the thread (a refused one none).
        client.state["replies"] = n = client.state.get("replies", 0) + 1
        return {"ok": True, "version": payload["position"] * SLOT + n}

    def ack_tag(self, ack: Any) -> Any:
        return ack["version"] if isinstance(ack, dict) and ack.get("ok") else None

    def resolve(self, private: dict, tag: Any, nth: int = 0) -> int | None:
        return tag

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


class GroupScenario(PeerlabBase):
    format = "group"

    def __init__(self, workdir: Path, **options):
        super().__init__(workdir, **options)
        self.wire = GroupWire()
        self.size = shape(self.participants)[0]

    def prepare(self) -> Plan:
        now = datetime.now(UTC)
        with self.app().app_context():
            self.create_schema()
            warmup = self._room("gw", MIN_SIZE, now)
            rooms = [self._room(f"g{r + 1}", self.size, now) for r in range(self.rounds)]
            self.finish_prepare()
        return Plan(rooms, warmup=warmup)

    def _room(self, label: str, size: int, now: datetime) -> list[Participant]:
        from flask import url_for

        from peerlab.core import spaces
        from peerlab.extensions import db
        from peerlab.groups.models import MEMBER, SPACE_KIND
        from peerlab.groups.service import groups, threads

        # Members only: an organizer account would first be sent to set up its second factor.
        people = self.people(label, size, now, first_role="member")
        choice = groups.JoinChoice(accept_rule=True, identity="real")
        group = groups.create_group(
            groups.GroupSettings(name=f"Benchmark-Gruppe {label}", size_limit=max(size, 3)),
            creator=people[0],
            choice=choice,
            now=now,
        )
        for user in people[1:]:
            groups.admit(group, user, choice, role=MEMBER, now=now)
        started = []
        for i, user in enumerate(people):
            row = spaces.membership_of(SPACE_KIND, group.id, self.actor(user))
            thread = threads.start_thread(group, row, f"Thema {i + 1}", "Was meint ihr?", now=now)
            started.append(thread.public_id)
            self.wire.threads[thread.public_id] = (group.id, i)
        db.session.commit()
        room = []
        for i, user in enumerate(people):
            headers, csrf = self.sign_in(user, now, csrf=True)
            with self.app().test_request_context("/"):
                path = url_for("groups.reply", group_id=group.id, thread_id=started[i])
            room.append(
                Participant(
                    round_key=group.id,
                    index=i,
                    user_id=user.id,
                    headers=headers,
                    join={"group_id": group.id},
                    votes=[
                        {
                            "path": path,
                            "csrf_token": csrf,
                            "body": f"Antwort {k + 1} von {i + 1}",
                            "position": i,
                        }
                        for k in range(self.votes)
                    ],
                    process=i % self.processes,
                )
            )
        return room

    def verify(self, plan: Plan) -> list[str]:
        """Every member's thread holds its first post and exactly the replies sent."""

        def check() -> list[str]:
            from sqlalchemy import func, select

            from peerlab.extensions import db
            from peerlab.groups.models import Post, Thread

            problems = []
            counts = dict(
                db.session.execute(
                    select(Thread.public_id, func.count(Post.id))
                    .join(Post, Post.thread_id == Thread.id)
                    .group_by(Thread.public_id)
                ).all()
            )
            for public_id in self.wire.threads:
                if counts.get(public_id) != 1 + self.votes:
                    problems.append(
                        f"thread {public_id}: {counts.get(public_id)} posts, not {1 + self.votes}"
                    )
                    if len(problems) >= 5:
                        break
            return problems

        return self.checked(check)
