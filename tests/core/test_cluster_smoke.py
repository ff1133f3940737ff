"""`make run-cluster` as shipped: two gunicorn web processes, `peerlab scheduler` and the
cookie-hashing proxy on the real PostgreSQL and Redis. Two members reach the processes only
through the proxy (websocket), one on each process, and see each other's changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.lean_coffee.live_support import Client
from tests.support.live import ROOT
from tests.support.services import need_postgres, need_redis

sys.path.insert(0, str(ROOT / "scripts"))
import cluster_proxy

LINDENAU = "buergermeisterin@lindenau.example"
AUENTAL = "buergermeister@auental.example"
ROUND_TITLE = "Kommunale Wärmeplanung und Beteiligung"


def three_free_ports() -> int:
    """A port p with p, p+1 and p+2 free (proxy and the two web processes)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + 2 > 65535:
            continue
        try:
            for offset in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError("no three consecutive free ports")


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not become healthy")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    server = need_postgres().rsplit("/", 1)[0]
    need_redis()
    tmp = tmp_path_factory.mktemp("cluster")
    port = three_free_ports()
    name = f"cluster_smoke_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "CLUSTER_POSTGRES": server,
        "CLUSTER_DATABASE": name,
        "CLUSTER_REDIS": "redis://127.0.0.1:6379/15",
        "CLUSTER_CHANNEL": f"peerlab-cluster-smoke-{uuid.uuid4().hex[:8]}",
        "CLUSTER_PORT": str(port),
        "PEERLAB_INSTANCE": str(tmp / "instance"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    log = open(tmp / "cluster.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "run_cluster.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        urls = [f"http://127.0.0.1:{p}" for p in (port, port + 1, port + 2)]
        for url in urls:
            wait_healthy(url)
        yield SimpleNamespace(
            url=urls[0],
            backends=[("127.0.0.1", port + 1), ("127.0.0.1", port + 2)],
            database=f"{server}/{name}",
        )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        admin = create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def demo_sign_in(url: str, email: str) -> requests.Session:
    from peerlab.demo import DEMO_PASSWORD
    from tests.lean_coffee.live_support import _csrf

    http = requests.Session()
    page = http.get(url + "/anmelden", timeout=10).text
    resp = http.post(
        url + "/anmelden",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": _csrf(page)},
        allow_redirects=False,
        timeout=10,
    )
    assert resp.status_code == 302, resp.text[:300]
    return http


def backend_of(http: requests.Session, backends) -> tuple[str, int]:
    """The web process the proxy hands this browser's connections to (by its cookie)."""
    cookie = http.cookies.get("peerlab_session")
    head = b"GET / HTTP/1.1\r\nCookie: peerlab_session=" + cookie.encode() + b"\r\n\r\n"
    return cluster_proxy.pick(head, backends, iter(()))


def test_members_on_different_processes_see_each_others_topics_through_the_proxy(cluster):
    first = demo_sign_in(cluster.url, LINDENAU)
    where = backend_of(first, cluster.backends)
    for _ in range(20):  # a new sign-in is a new cookie: until the proxy picks the other one
        second = demo_sign_in(cluster.url, AUENTAL)
        if backend_of(second, cluster.backends) != where:
            break
    else:
        pytest.fail("the proxy put every sign-in on one process")
    assert ROUND_TITLE in first.get(cluster.url + "/", timeout=10).text  # the dashboard
    anna = Client(cluster, first, "lindenau")
    ben = Client(cluster, second, "auental")
    try:
        engine = create_engine(cluster.database)
        with engine.connect() as conn:
            rid = conn.scalar(
                text("SELECT id FROM lean_coffee_rounds WHERE title = :t"), {"t": ROUND_TITLE}
            )
        engine.dispose()
        assert anna.call("round:join", round_id=rid)["ok"]
        assert ben.call("round:join", round_id=rid)["ok"]
        mark = ben.mark()
        added = anna.call("topic:add", round_id=rid, title="Wärmenetz im Altort", anonymous=False)
        assert added["ok"]
        state = ben.wait_for(
            "round:state",
            lambda d: any(t["title"] == "Wärmenetz im Altort" for t in d.get("topics", [])),
            after=mark,
            timeout=20,
        )
        assert state["round_id"] == rid
    finally:
        anna.close()
        ben.close()
