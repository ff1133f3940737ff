"""SCHEDULER=external: web processes run no jobs; one `peerlab scheduler` process applies them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import requests

from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.live import ROOT

PEERLAB = str(Path(sys.executable).with_name("peerlab"))


def _request_signin_link(base: str, email: str) -> None:
    http = requests.Session()
    page = http.get(f"{base}/anmelden/link", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    resp = http.post(
        f"{base}/anmelden/link",
        data={"email": email, "csrf_token": token},
        timeout=10,
        allow_redirects=False,
    )
    assert resp.status_code == 302


def test_external_scheduler_process_sends_what_the_web_process_queued(tmp_path, live_factory, smtp):
    server = live_factory(smtp_port=smtp.port, scheduler="external")
    assert "runs no jobs" in server.log_path.read_text()
    app = make_app(tmp_path / "seed", SQLALCHEMY_DATABASE_URI=server.db_url)
    with app.app_context():
        from peerlab.accounts import service

        service.create_user(
            email="amt@lindenau.example",
            name="Amt",
            password="x" * 12,
            now=app.extensions["peerlab.clock"].now(),
        )
        db.session.commit()
    _request_signin_link(server.url, "amt@lindenau.example")

    env = {
        **os.environ,
        "DATABASE_URL": server.db_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "PEERLAB_INSTANCE": str(server.instance),
        "PEERLAB_SECRET_KEY": "live-test-secret",
        "SCHEDULER": "external",
    }
    scheduler = subprocess.Popen(
        [PEERLAB, "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        mails = smtp.recorder.wait_for("amt@lindenau.example", timeout=30)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=10)
    assert len(mails) == 1
    assert "/anmelden/link/" in mails[0].get_body(preferencelist=("plain",)).get_content()
