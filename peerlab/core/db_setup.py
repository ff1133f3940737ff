"""SQLite connection settings: WAL, foreign keys, and transactions that really are transactions.

pysqlite's legacy mode opens a transaction only before the first INSERT/UPDATE/DELETE: reads
before it run outside any transaction, and a SAVEPOINT opened before the first write becomes a
transaction of its own whose RELEASE commits at once (a row written in a savepoint survived the
rollback of its request). We take transaction control as SQLAlchemy documents for pysqlite
("Serializable isolation / Savepoints / Transactional DDL"): the driver never emits BEGIN itself
(`isolation_level = None`) and SQLAlchemy's "begin" event emits it.

Every transaction begins IMMEDIATE, reads included: the write lock is taken at the start, so a
transaction that reads and then writes cannot fail half-way with "database is locked" (SQLite
cannot upgrade a read snapshot that another writer has moved past), and checks made by a read
still hold at the write. The cost is that transactions of all kinds run one after another;
they are short (readers of other processes are not blocked: WAL).

Every connection runs with `secure_delete=ON`: a deleted row's bytes are overwritten in the
database file (core.retention ends its purges with a WAL checkpoint, so the -wal file holds
no copy either).

Waiting for the lock happens here, in Python, with `time.sleep`: under gevent that sleep lets
the other greenlets run, among them the one holding the lock. SQLite's own busy handler would
sleep inside C and stall the whole process until its timeout, while the holder could not run.
"""

from __future__ import annotations

import sqlite3
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from peerlab.extensions import db

LOCK_WAIT_SECONDS = 30.0
_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.05


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: the "begin" event does it
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten with zeros in the file, not only unlinked from the b-tree
    # (confidential groups: "deleted" must not stay readable in the database file).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # switching to WAL may wait for another opener
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # From here on a busy database answers at once and _begin_immediate waits cooperatively.
    # Inside a transaction nothing waits: it holds the write lock, and WAL readers never block.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _begin_immediate(conn: Connection) -> None:
    # The raw driver connection, not conn.exec_driver_sql: a busy answer is expected here and
    # must not go through SQLAlchemy's error handling of a half-begun transaction.
    raw = conn.connection.dbapi_connection
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = _FIRST_PAUSE
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if not _is_busy(err) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)  # gevent's sleep once patched: the lock holder gets to finish
        pause = min(pause * 2, _LONGEST_PAUSE)


def configure_engine(engine: Engine) -> None:
    """Install the settings on one engine (idempotent); other databases are left alone."""
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _sqlite_connect):
        event.listen(engine, "connect", _sqlite_connect)
    if not event.contains(engine, "begin", _begin_immediate):
        event.listen(engine, "begin", _begin_immediate)


def init_app(app: Flask) -> None:
    """Configure the app's engines; call after db.init_app and before the first connection."""
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
