"""What a socket event or request sends after its transaction commits: broadcasts and kicks.

Each queued item remembers the transaction (or savepoint) it was queued in. Only a committed
outermost transaction sends (a released savepoint sends nothing yet); a rolled-back savepoint
drops only what was queued inside it (the outer transaction's changes, and so its broadcasts,
still stand); an outermost rollback drops everything. `install()` (from init_app) attaches the
listeners.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from peerlab.extensions import db, socketio

log = logging.getLogger(__name__)
_PENDING = "peerlab.live.pending"
_after_commit: ContextVar[bool] = ContextVar("peerlab_live_after_commit", default=False)


def own_session():
    """Where a kick or a disconnect hook may run SQL. Inside an after-commit hook the committing
    session may run none, so they get a fresh app context (a session of their own); anywhere
    else they use the current session, so no second SQLite connection waits for the write
    lock that the current one holds (every SQLite transaction begins IMMEDIATE)."""
    return current_app.app_context() if _after_commit.get() else nullcontext()


@contextmanager
def _running_after_commit() -> Iterator[None]:
    token = _after_commit.set(True)
    try:
        yield
    finally:
        _after_commit.reset(token)


@dataclass(frozen=True)
class Pending:
    transaction: SessionTransaction | None
    send: Callable[[], None]
    label: str


def _queue(label: str, send: Callable[[], None]) -> None:
    sess = db.session()
    txn = sess.get_nested_transaction() or sess.get_transaction()
    sess.info.setdefault(_PENDING, []).append(Pending(txn, send, label))


def queue_emit(event_name: str, data: dict, *, to: str, namespace: str) -> None:
    """Send `data` to room `to` of `namespace` once the current transaction has committed."""

    def send() -> None:
        socketio.emit(event_name, data, to=to, namespace=namespace)

    _queue(f"{event_name} to {to}", send)


def queue_call(label: str, fn: Callable[[], None]) -> None:
    """Run `fn` once the current transaction has committed (e.g. disconnect removed people)."""
    _queue(label, fn)


def _send_after_commit(sess: Session) -> None:
    if sess.in_nested_transaction():
        # SQLAlchemy reports a released savepoint as a commit too; the outer transaction may
        # still roll back, so nothing leaves yet.
        return
    with _running_after_commit():
        for item in sess.info.pop(_PENDING, []):
            try:
                item.send()
            except Exception:  # a broken broadcast must not undo a committed change
                log.exception("after-commit %s failed", item.label)


def _inside(txn: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    while txn is not None:
        if txn is rolled_back:
            return True
        txn = txn.parent
    return False


def _drop_after_rollback(sess: Session, previous_transaction: SessionTransaction) -> None:
    if not previous_transaction.nested:
        sess.info.pop(_PENDING, None)
        return
    pending = sess.info.get(_PENDING)
    if pending:
        sess.info[_PENDING] = [
            item for item in pending if not _inside(item.transaction, previous_transaction)
        ]


def install() -> None:
    """Attach the listeners to every Session (once per process, whatever the number of apps)."""
    for name, fn in (
        ("after_commit", _send_after_commit),
        ("after_soft_rollback", _drop_after_rollback),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
