"""Single use under concurrency: two requests at the same moment, exactly one wins."""

from __future__ import annotations

import threading

import pyotp

from peerlab.accounts import tokens, twofactor
from peerlab.accounts.models import User
from peerlab.core.errors import DomainError
from peerlab.extensions import db


def _race(app, attempt) -> list[bool]:
    """Run `attempt()` in two threads, each with its own app context and DB session."""
    # End the test's own transaction first: like a request, it holds SQLite's write lock
    # until it ends (every transaction begins IMMEDIATE, see core.db_setup).
    db.session.commit()
    barrier = threading.Barrier(2)
    results: list[bool] = []
    lock = threading.Lock()

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                attempt()
                db.session.commit()
                ok = True
            except DomainError:
                db.session.rollback()
                ok = False
            finally:
                db.session.remove()
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_one_time_link_used_by_two_at_once_works_once(app, make_user, now):
    user = make_user()
    for _ in range(5):  # several rounds: one lucky interleaving must not hide a race
        secret = tokens.issue(user, tokens.SIGNIN, now=now)
        db.session.commit()
        results = _race(app, lambda s=secret: tokens.consume(s, tokens.SIGNIN, now=now))
        assert sorted(results) == [False, True]


def test_totp_code_used_twice_at_once_works_once(app, make_user, now):
    user = make_user(totp=True)
    code = pyotp.TOTP(user.totp_secret).at(now)
    user_id = user.id

    def attempt():
        twofactor.verify(db.session.get(User, user_id), code, now=now)

    assert sorted(_race(app, attempt)) == [False, True]
