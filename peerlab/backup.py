"""Backups of a SQLite database while peerlab runs, and restoring one into a fresh instance.

`peerlab backup DIR` copies the live database with SQLite's online backup API (pages are
copied under a read lock, a consistent snapshot even while web processes write; WAL included)
into `DIR/peerlab-<UTC time>.sqlite3`, checks the copy (`PRAGMA integrity_check`), and deletes
this command's earlier copies in DIR that are older than `--keep-days` (the documented
retention, docs/deployment.md). A copy is written under a temporary name and renamed when
complete, so DIR never holds half a backup.

`peerlab restore FILE` puts a checked copy in place as the database of an instance that has
none yet (a fresh instance); it never overwrites an existing database.

PostgreSQL is backed up with its own tools (pg_dump); both commands say so and stop.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

PATTERN = re.compile(r"^peerlab-(\d{8}T\d{6}Z)\.sqlite3$")
STAMP = "%Y%m%dT%H%M%SZ"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (the message says why, in German)."""


@dataclass(frozen=True)
class Result:
    path: Path
    size: int
    removed: list[Path]


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite URL; BackupError for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "Die Datenbank ist keine SQLite-Datei. PostgreSQL sichern Sie mit pg_dump "
            "(siehe docs/deployment.md)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("Eine Datenbank im Arbeitsspeicher lässt sich nicht sichern.")
    return Path(url.database)


def check(path: Path) -> None:
    """Raise BackupError unless `path` is an intact SQLite database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            answer = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(f"{path} ist keine lesbare SQLite-Datenbank ({err}).") from err
    if not answer or answer[0] != "ok":
        raise BackupError(f"{path} ist beschädigt: {answer[0] if answer else '?'}")


def backup(database_url: str, target_dir: Path, *, now: datetime, keep_days: int) -> Result:
    """Copy the running database into `target_dir`; drop own copies older than `keep_days`."""
    if keep_days < 1:
        raise BackupError("--keep-days muss mindestens 1 sein.")
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"Die Datenbank {source} gibt es nicht.")
    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / f"peerlab-{now.strftime(STAMP)}.sqlite3"
    if final.exists():
        raise BackupError(f"{final} gibt es schon.")
    partial = final.with_name(final.name + ".partial")
    src = sqlite3.connect(str(source), timeout=30)
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst, pages=256)  # in steps: writers of other processes get turns
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(partial, 0o600)  # personal data: readable by the operator's account only
    try:
        check(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(final)
    return Result(final, final.stat().st_size, prune(target_dir, now=now, keep_days=keep_days))


def prune(target_dir: Path, *, now: datetime, keep_days: int) -> list[Path]:
    """Delete this command's copies in `target_dir` made more than `keep_days` ago."""
    limit = now - timedelta(days=keep_days)
    removed = []
    for path in sorted(target_dir.iterdir()):
        match = PATTERN.match(path.name)
        if not match:
            continue  # not ours: left alone
        made = datetime.strptime(match.group(1), STAMP).replace(tzinfo=now.tzinfo)
        if made < limit:
            path.unlink()
            removed.append(path)
    return removed


def restore(backup_file: Path, database_url: str) -> Path:
    """Put a checked copy of `backup_file` in place as the (missing) SQLite database."""
    target = sqlite_path(database_url)
    if target.exists():
        raise BackupError(
            f"Die Datenbank {target} gibt es schon. Eine Sicherung wird nur in eine neue "
            "Instanz eingespielt: Server anhalten, die Datei beiseitelegen, dann erneut."
        )
    if not backup_file.is_file():
        raise BackupError(f"Die Sicherung {backup_file} gibt es nicht.")
    check(backup_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(partial, 0o600)
    partial.rename(target)
    return target
