"""Database wiring: the Tortoise configuration for a :class:`Settings`, migrations, and
what counts as "the database does not answer".

Owns how ``EVENTS_DATABASE_URL`` becomes a Tortoise config, the SQLite client the config
names (Tortoise's own, except that a failure to open the file no longer leaves the
connection's lock held, which made every later query wait forever), and
:func:`database_unavailable`, which the app uses to answer 503 instead of 500. Imports
settings only.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import ConnectionWrapper, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import DBConnectionError, OperationalError
from tortoise.migrations.api import migrate

from events.settings import Settings

_UNAVAILABLE_SQLITE = ("unable to open database", "disk i/o error", "database is locked")
_UNAVAILABLE_PG = (
    "ConnectionDoesNotExistError",
    "CannotConnectNowError",
    "ConnectionFailureError",
    "TooManyConnectionsError",
    "InterfaceError",
    "AdminShutdownError",
    "CrashShutdownError",
)


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error means the database does not answer (now), rather than a bug:
    refused or dropped connections, a server shutting down or starting, a SQLite file
    that cannot be opened or stays locked. Looks through the chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBConnectionError | ConnectionError | TimeoutError):
            return True
        if isinstance(current, OSError) and not isinstance(current, FileNotFoundError):
            return True
        if isinstance(current, sqlite3.OperationalError | OperationalError):
            text = str(current).lower()
            if any(part in text for part in _UNAVAILABLE_SQLITE):
                return True
        if type(current).__name__ in _UNAVAILABLE_PG:
            return True
        current = current.__cause__ or current.__context__
    return False


class _Connection(ConnectionWrapper[Any]):
    """Tortoise's wrapper, but the lock is released when opening the connection fails."""

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


class _Transaction(SqliteTransactionContext):
    """Tortoise's SQLite transaction, but the lock is released when opening fails."""

    async def __aenter__(self) -> Any:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._trxlock.release()
            raise
        self.token = get_connections().set(self.connection_name, self.connection)
        await self.connection.begin()
        return self.connection


class SafeSqliteClient(SqliteClient):
    """The SQLite client named by :func:`tortoise_config` (see the module docstring), with
    ``secure_delete`` on: deleted and overwritten rows are zeroed in the file, so an erased
    name is not left in free space. ``synchronous=NORMAL`` in WAL mode: a commit no longer
    waits for the disk (the WAL is synced at checkpoints), which makes every write several
    times cheaper; the file is never corrupted, but a power cut can lose the last commits.
    ``EVENTS_DATABASE_URL=sqlite://…?synchronous=FULL`` restores the old guarantee."""

    def __init__(self, file_path: str, **kwargs: Any) -> None:
        super().__init__(file_path, **kwargs)
        self.pragmas.setdefault("secure_delete", "ON")
        self.pragmas.setdefault("synchronous", "NORMAL")

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return _Connection(self._lock, self)

    def _in_transaction(self) -> TransactionContext:
        return _Transaction(SqliteTransactionWrapper(self), self._lock)


client_class = SafeSqliteClient
"""Tortoise finds a backend's client by this name in the module the config names."""

MODELS_MODULE = "events.models"
MIGRATIONS_MODULE = "events.migrations"


def database_url(url: str) -> str:
    """Normalise a URL for Tortoise: ``postgresql://`` is spelt ``postgres://`` there and
    SQLite gets a busy timeout so several processes can share one file."""
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite://") and "busy_timeout" not in url:
        url += ("&" if "?" in url else "?") + "busy_timeout=10000"
    return url


def connection_config(url: str) -> str | dict[str, Any]:
    """A Tortoise connection: the URL, or for SQLite the same with our client."""
    url = database_url(url)
    if not url.startswith("sqlite://"):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    expanded: dict[str, Any] = expand_db_url(url)
    expanded["engine"] = __name__
    return expanded


def tortoise_config(settings: Settings, *, for_migrations: bool = False) -> dict[str, Any]:
    """The Tortoise ORM config dict for these settings (UTC-aware datetimes). Migrations
    get Tortoise's own SQLite client: its schema editor is chosen by the client's module."""
    url = database_url(settings.database_url)
    return {
        "connections": {"default": url if for_migrations else connection_config(url)},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate_database(settings: Settings) -> None:
    """Apply every committed migration that the database has not seen yet."""
    try:
        await migrate(config=tortoise_config(settings, for_migrations=True))
    finally:
        await Tortoise.close_connections()
