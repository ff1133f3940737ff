"""What every peerlab scenario shares: the database, the app in the benchmark's process (for
preparing data through the formats' own services and checking it afterwards), real sign-in
sessions with signed cookies, and the server processes.

Preparation uses nothing a deployment would not ship: accounts from
`peerlab.accounts.service.create_user`, sessions from `peerlab.accounts.sessions.open_session`
inside a request context, the cookie signed by the app's own session interface (and, for
forms, the CSRF token from Flask-WTF's `generate_csrf`, stored in the same session). The
server is the production app factory (bench.peerlab_server) with the same secret key.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path

from bench.cluster import DEFAULT_REDIS, Fleet, SchedulerProcess, new_channel
from bench.databases import DEFAULT_POSTGRES, TempDatabase
from bench.load import Participant
from bench.servers import ServerProcess

USER_AGENT = "peerlab-bench/1"


class PeerlabBase:
    name = "peerlab"

    def __init__(
        self,
        workdir: Path,
        *,
        rounds: int,
        participants: int,
        votes: int,
        async_mode: str,
        database: str = "sqlite",
        postgres_url: str = DEFAULT_POSTGRES,
        processes: int = 1,
        redis_url: str = DEFAULT_REDIS,
    ):
        self.workdir = workdir
        self.rounds = rounds
        self.participants = participants
        self.votes = votes
        self.async_mode = async_mode
        self.processes = processes
        self.redis_url = redis_url
        self.database = TempDatabase(database, workdir, postgres_url)
        self.db_url = self.database.url
        self.secret = secrets.token_urlsafe(48)
        self.env = {
            "PEERLAB_SECRET_KEY": self.secret,
            "PEERLAB_INSTANCE": str(workdir / "instance"),
            "PEERLAB_RATELIMIT": "1",
        }
        self._app = None

    def app(self):
        if self._app is None:
            os.environ.update(self.env)  # the same secret and instance as the server
            from peerlab import create_app

            self._app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": self.db_url,
                    "SOCKETIO_ASYNC_MODE": "threading",
                    "SOCKETIO_MESSAGE_QUEUE": None,
                    "SCHEDULER": "external",
                }
            )
        return self._app

    def create_schema(self) -> None:
        from peerlab.extensions import db

        db.create_all()

    def finish_prepare(self) -> None:
        from peerlab.extensions import db

        db.session.remove()
        db.engine.dispose()

    def people(self, label: str, size: int, now: datetime, *, first_role: str = "organizer"):
        """`size` new accounts; the first with `first_role`, the others members."""
        from peerlab.accounts import service as accounts

        return [
            accounts.create_user(
                email=f"{label}p{i}@bench.peerlab.example",
                now=now,
                name=f"Bench {label}-{i}",
                role=first_role if i == 0 else "member",
            )
            for i in range(size)
        ]

    def sign_in(self, user, now: datetime, *, csrf: bool = False) -> tuple[dict[str, str], str]:
        """Headers with a real signed session cookie for `user` (and the CSRF token of that
        session when `csrf`, for posting forms)."""
        from flask import current_app, session

        from peerlab.accounts.sessions import open_session
        from peerlab.extensions import db

        app = self.app()
        serializer = app.session_interface.get_signing_serializer(app)
        token = ""
        with app.test_request_context("/", headers={"User-Agent": USER_AGENT}):
            open_session(user, now=now)
            db.session.commit()
            if csrf:
                from flask import g
                from flask_wtf.csrf import generate_csrf

                # Flask-WTF keeps the token of the app context in `g`; the request contexts
                # here share one app context, so drop it to get this session's own.
                g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
                token = generate_csrf()
            cookie = serializer.dumps(dict(session))
        return {"Cookie": f"peerlab_session={cookie}", "User-Agent": USER_AGENT}, token

    def members(self, key: int, people, now: datetime, join: dict, actions) -> list[Participant]:
        """One room's clients: each person signed in, joining with `join`, sending the
        payloads `actions(i)` gives the i-th person, on process i mod P."""
        room = []
        for i, user in enumerate(people):
            headers, _csrf = self.sign_in(user, now)
            room.append(
                Participant(
                    round_key=key,
                    index=i,
                    user_id=user.id,
                    headers=headers,
                    join=join,
                    votes=actions(i),
                    process=i % self.processes,
                )
            )
        return room

    @staticmethod
    def actor(user):
        from peerlab.accounts.actors import Actor

        return Actor("user", user.id, user.display_name, user=user)

    def server(self) -> Fleet:
        """One web process with the jobs inside (as `peerlab run`), or `processes` web
        processes on the Redis queue plus one `peerlab scheduler` (bench.cluster)."""
        if self.processes == 1:
            web = ServerProcess(
                "bench.peerlab_server",
                async_mode=self.async_mode,
                workdir=self.workdir,
                args=["--db", self.db_url],
                env=self.env,
            )
            return Fleet([web])
        channel = new_channel()
        args = ["--db", self.db_url, "--message-queue", self.redis_url, "--channel", channel]
        web = [
            ServerProcess(
                "bench.peerlab_server",
                async_mode=self.async_mode,
                workdir=self.workdir,
                args=[*args, "--scheduler", "external"],
                env=self.env,
            )
            for _ in range(self.processes)
        ]
        scheduler_env = {
            **self.env,
            "DATABASE_URL": self.db_url,
            "SOCKETIO_MESSAGE_QUEUE": self.redis_url,
            "SOCKETIO_CHANNEL": channel,
            "SOCKETIO_ASYNC_MODE": self.async_mode,
            "SCHEDULER": "external",
        }
        return Fleet(web, SchedulerProcess(self.workdir, scheduler_env))

    def checked(self, check) -> list[str]:
        """Run `check()` (returns problems) in an app context on the run's database."""
        from peerlab.extensions import db

        with self.app().app_context():
            try:
                return check()
            finally:
                db.session.remove()
                db.engine.dispose()

    def cleanup(self) -> None:
        if self._app is not None:
            from peerlab.extensions import db

            with self._app.app_context():
                db.engine.dispose()
        self.database.drop()
