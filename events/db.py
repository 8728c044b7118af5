"""Database wiring: the Tortoise configuration for a :class:`Settings`, and migrations.

Owns how ``EVENTS_DATABASE_URL`` becomes a Tortoise config. Imports settings only.
"""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from events.settings import Settings

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


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise ORM config dict for these settings (UTC-aware datetimes)."""
    return {
        "connections": {"default": database_url(settings.database_url)},
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
        await migrate(config=tortoise_config(settings))
    finally:
        await Tortoise.close_connections()
