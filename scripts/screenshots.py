"""Screenshots of peerlab's main screens for the README (`make screenshots`; not part of the tests).

Starts peerlab as `make run` does (migrations, demo data, `peerlab run` under gevent), but in a
temporary instance on a free port, adds one Lean Coffee round that is in its discussion, signs in
as a demo member and photographs with Debian's Chromium (Playwright) into docs/screenshots/:

- dashboard.png     the start page after signing in (1366 × 768)
- board-phone.png   a round during the discussion on a phone (390 × 844)
- board.png         the same board on a desktop (1366 × 768)
- summary.png       the summary of the demo's finished round (1366 × 768)

Nothing waits a fixed time: each screen waits for what shows it is ready (the board for its live
connection and phase, every page for its web fonts).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
MEMBER = "buergermeisterin@lindenau.example"  # Dr. Miriam Lindner, no second factor
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000

LIVE_TITLE = "Digitale Verwaltung im ländlichen Raum"
LIVE_TOPICS = (  # (author's e-mail, title, detail, anonymous)
    ("buergermeister@auental.example", "Online-Zugangsgesetz: Was klappt bei Ihnen?", "", False),
    ("landraetin@kreis-hohenfeld.example", "Fachkräfte für die IT gewinnen", "", False),
    ("integration@bergstadt.example", "Mehrsprachige Formulare", "Übersetzen – aber wie?", False),
    (MEMBER, "Bürgerportal: Wer pflegt die Inhalte?", "", False),
    ("buergermeister@auental.example", "Druck aus dem Gemeinderat", "", True),
    ("landraetin@kreis-hohenfeld.example", "Glasfaser in Ortsteilen", "", False),
    ("integration@bergstadt.example", "KI im Bürgerbüro – erste Erfahrungen", "", False),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict[str, str]) -> dict[str, int]:
    """Migrate, load the demo data, add the live round; returns the rounds to photograph."""
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from peerlab import create_app, demo
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Round

    app = create_app()
    with app.app_context():
        upgrade()
        demo.load()
        live = seed_live_round(app.extensions["peerlab.clock"].now())
        finished = db.session.scalar(select(Round.id).where(Round.phase == "closed"))
        db.session.commit()
        ids = {"live": live, "finished": finished}
        db.session.remove()
    return ids


def seed_live_round(now) -> int:
    """A round that started a quarter of an hour ago: topics voted on, the second one running."""
    from sqlalchemy import select

    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import discussion, notes, rounds, topics, votes

    people = {u.email: u for u in db.session.scalars(select(User))}
    members = [u for u in people.values() if u.role == "member"]
    start = now - timedelta(minutes=15)
    rnd = rounds.create_round(
        rounds.RoundSettings(title=LIVE_TITLE, starts_at=start, access="invited"),
        creator=people["orga@peerlab.example"],
        invitees=members,
        now=start - timedelta(days=7),
    )
    by_user = {
        p.user_id: p for p in db.session.scalars(select(Participant).filter_by(round_id=rnd.id))
    }
    for participant in by_user.values():
        participant.joined_at = start
    added = [
        topics.add_topic(
            rnd, by_user[people[email].id], title, detail, anonymous=anonymous, now=start
        )
        for email, title, detail, anonymous in LIVE_TOPICS
    ]
    rounds.advance_phase(rnd, "vote", now=start + timedelta(minutes=5))
    picks = {0: (0, 1, 4), 1: (0, 4, 6), 2: (2, 0, 1), 3: (4, 0, 3)}
    for n, member in enumerate(members[:4]):
        for index in picks[n]:
            votes.cast_vote(rnd, by_user[member.id], added[index].id)
    rounds.advance_phase(rnd, "discuss", now=now - timedelta(minutes=9))
    first = discussion.current_topic(rnd)
    notes.add_takeaway(
        rnd,
        by_user[members[1].id],
        first.id,
        "Ein gemeinsames Servicekonto mit dem Landkreis spart jeder Gemeinde die eigene Lösung.",
        now=now - timedelta(minutes=3),
    )
    discussion.next_topic(rnd, now=now - timedelta(minutes=2))
    db.session.flush()
    return rnd.id


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    peerlab = Path(sys.executable).with_name("peerlab")
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603 - the venv's own peerlab command
            [str(peerlab), "run"],
            cwd=ROOT,
            env={**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"peerlab stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"peerlab did not start:\n{log.read_text()[-3000:]}")


def settle(page) -> None:
    """Web fonts loaded and two frames painted."""
    page.wait_for_load_state("load")
    page.evaluate(
        "async () => { await document.fonts.ready;"
        " await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }"
    )


def sign_in(context, base: str, password: str) -> None:
    page = context.new_page()
    page.goto(base + "/anmelden")
    page.locator("main input[name=email]").fill(MEMBER)
    page.locator("main input[name=password]").fill(password)
    page.locator("main input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/anmelden" not in url)
    page.close()


def photograph(base: str, ids: dict[str, int], password: str, out: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    shots = [
        ("dashboard.png", DESKTOP, "/", None),
        ("board-phone.png", PHONE, f"/runden/{ids['live']}", "board"),
        ("board.png", DESKTOP, f"/runden/{ids['live']}", "board"),
        ("summary.png", DESKTOP, f"/runden/{ids['finished']}/zusammenfassung", None),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            state = None
            for name, viewport, path, kind in shots:
                context = browser.new_context(
                    base_url=base,
                    viewport=viewport,
                    locale="de-DE",
                    timezone_id="Europe/Berlin",
                    storage_state=state,
                )
                context.set_default_timeout(TIMEOUT_MS)
                if state is None:
                    sign_in(context, base, password)
                    state = context.storage_state()
                page = context.new_page()
                page.goto(base + path)
                if kind == "board":  # live: connected, in the discussion, a topic running
                    board = page.locator("#lc-board")
                    expect(board).to_have_attribute("data-connection", "connected")
                    expect(board).to_have_attribute("data-phase", "discuss")
                settle(page)
                target = out / name
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="peerlab-shots-") as tmp:
        env = {
            "PEERLAB_INSTANCE": str(Path(tmp) / "instance"),
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'peerlab.sqlite3'}",
        }
        for unset in ("SMTP_HOST", "SOCKETIO_MESSAGE_QUEUE", "REDIS_URL", "BASE_URL"):
            os.environ.pop(unset, None)
        ids = prepare(env)
        port = free_port()
        log = Path(tmp) / "server.log"
        server = start_server(env, port, log)
        try:
            from peerlab.demo import DEMO_PASSWORD

            written = photograph(f"http://127.0.0.1:{port}", ids, DEMO_PASSWORD, args.out)
        except Exception:
            print(f"peerlab's log (last lines):\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
