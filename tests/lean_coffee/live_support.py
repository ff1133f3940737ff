"""Helpers for protocol tests against a live server: seeding its database, signing in over
HTTP, and python-socketio clients that record every message and wait for one (no sleeps)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import requests
import socketio

PASSWORD = "richtig-langes-passwort"


def seed(server, **settings) -> dict:
    """Create Anna (facilitates), Ben and a link round in the live server's database."""
    from peerlab import create_app
    from peerlab.accounts import service
    from peerlab.extensions import db
    from peerlab.lean_coffee.access import link_token
    from peerlab.lean_coffee.service import rounds

    os.environ["PEERLAB_INSTANCE"] = str(server.instance)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": server.db_url,
            "TESTING": True,
            "TESTING_CONTROLS": True,
            "SECRET_KEY": "live-test-secret",
        }
    )
    with app.app_context():
        db.create_all()
        now = app.extensions["peerlab.clock"].now()
        anna = service.create_user(
            email="anna@lindenau.example", name="Anna Amsel", password=PASSWORD, now=now
        )
        ben = service.create_user(
            email="ben@auental.example", name="Ben Berg", password=PASSWORD, now=now
        )
        rnd = rounds.create_round(
            rounds.RoundSettings(
                title="Live-Runde", starts_at=now + timedelta(minutes=5), access="link", **settings
            ),
            creator=anna,
            invitees=[ben],
            now=now,
        )
        db.session.commit()
        info = {"round_id": rnd.id, "link": f"/runden/{rnd.id}/beitreten/{link_token(rnd)}"}
        db.session.remove()
    return info


def server_date(server, *, days: int = 0) -> str:
    """An ISO date `days` after today on the live server's clock (never the calendar's today)."""
    now = datetime.fromisoformat(requests.get(server.url + "/healthz", timeout=10).json()["time"])
    return (now + timedelta(days=days)).date().isoformat()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def sign_in(server, email: str) -> requests.Session:
    http = requests.Session()
    page = http.get(server.url + "/anmelden", timeout=10).text
    resp = http.post(
        server.url + "/anmelden",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(page)},
        allow_redirects=False,
        timeout=10,
    )
    assert resp.status_code == 302, resp.text[:500]
    return http


def join_as_guest(server, link: str, name: str) -> requests.Session:
    http = requests.Session()
    page = http.get(server.url + link, timeout=10).text
    resp = http.post(
        server.url + link,
        data={"display_name": name, "csrf_token": _csrf(page)},
        allow_redirects=False,
        timeout=10,
    )
    assert resp.status_code == 302, resp.text[:500]
    return http


class Client:
    """A python-socketio client that keeps everything it received."""

    def __init__(self, server, http: requests.Session, name: str, namespace: str = "/lean-coffee"):
        self.name = name
        self.namespace = namespace
        self.http = http
        self.received: list[tuple[str, object]] = []
        self._cond = threading.Condition()
        self.sio = socketio.Client(
            http_session=http, reconnection_delay=0.2, reconnection_delay_max=0.5
        )
        self.sio.on("*", self._record, namespace=namespace)
        self.sio.on("connect", lambda: self._record("connect", None), namespace=namespace)
        self.sio.on("disconnect", lambda *_: self._record("disconnect", None), namespace=namespace)
        self.sio.connect(
            server.url, namespaces=[namespace], transports=["websocket"], wait_timeout=10
        )

    def _record(self, event, data=None):
        with self._cond:
            self.received.append((event, data))
            self._cond.notify_all()

    def call(self, event: str, **payload) -> dict:
        return self.sio.call(event, payload, namespace=self.namespace, timeout=15)

    def wait_for(
        self,
        event: str,
        predicate: Callable[[object], bool] = lambda d: True,
        timeout: float = 15.0,
        after: int = 0,
    ):
        """The first message `event` (from index `after`) satisfying `predicate`."""
        with self._cond:
            found = None

            def ready():
                nonlocal found
                for name, data in self.received[after:]:
                    if name == event and predicate(data):
                        found = data
                        return True
                return False

            assert self._cond.wait_for(ready, timeout), f"{self.name}: no {event} in time"
            return found

    def mark(self) -> int:
        with self._cond:
            return len(self.received)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
