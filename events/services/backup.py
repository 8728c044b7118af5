"""Backups of a running SQLite database, with SQLite's online backup API.

Owns :func:`backup_sqlite`: a consistent copy of the database file while the site keeps
running (the API copies page by page and starts again when a writer changed a page it had
copied, so the copy is one moment of the database, with what is still in the write-ahead
log). PostgreSQL is backed up with its own tools; docs/deploy.md says how. Imports the
standard library only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 1024


@dataclass(frozen=True)
class BackupReport:
    """Where the copy went, how big it is and what SQLite's integrity check said."""

    path: Path
    size: int
    integrity: str


def sqlite_path(database_url: str) -> Path | None:
    """The file of a ``sqlite://`` URL, or None for any other database."""
    if not database_url.startswith("sqlite://"):
        return None
    return Path(database_url.removeprefix("sqlite://").split("?", 1)[0])


def backup_sqlite(source: Path, target: Path) -> BackupReport:
    """Copy the database at ``source`` to ``target`` (a new file; its folder is created)
    while other processes may read and write it, then check the copy."""
    if not source.exists():
        raise FileNotFoundError(source)
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")
            integrity = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()
    partial.rename(target)
    return BackupReport(path=target, size=target.stat().st_size, integrity=integrity)
