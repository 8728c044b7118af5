"""Whether the database answers, for ``/healthz`` and load balancers.

Imports Tortoise's connections only.
"""

from __future__ import annotations

from tortoise import connections


async def database_problem() -> str | None:
    """None when the database answers ``SELECT 1``, else the kind of failure."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # any failure to answer means unhealthy
        return type(exc).__name__
    return None
