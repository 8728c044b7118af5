"""Rate limits kept in the database, so that every worker process shares them: sign-ups
per client address, failed sign-ins per account and per address, and whatever comes next.

A :class:`Limit` names a kind of attempt, how many may fall in a sliding window, and the
window. Callers ask :func:`wait_for` before the attempt (seconds to wait, or None) and
:func:`record` only the attempts that should count (a limit on accepted sign-ups records
accepted ones; a limit on failed sign-ins records failures). Counting then inserting is not
atomic: under a burst a few attempts more than the limit may pass, which a rate limit
tolerates; it never lets a script through for long.

Imports models only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from events.models import RateHit

MAX_KEY = 128


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` recorded attempts of ``kind`` per key in ``window``; 0 is off."""

    kind: str
    limit: int
    window: timedelta


def _key(key: str) -> str:
    """Keys longer than the column (odd addresses, long emails) are stored as a hash."""
    return key if len(key) <= MAX_KEY else hashlib.sha256(key.encode()).hexdigest()


async def wait_for(limit: Limit, key: str, *, now: datetime | None = None) -> int | None:
    """Whole seconds until one more attempt is allowed, or None when it is allowed now."""
    if limit.limit <= 0:
        return None
    now = now or datetime.now(UTC)
    since = now - limit.window
    hits = (
        await RateHit.filter(kind=limit.kind, key=_key(key), at__gt=since)
        .order_by("-at")
        .limit(limit.limit)
        .values_list("at", flat=True)
    )
    if len(hits) < limit.limit:
        return None
    oldest_counted: datetime = hits[-1]  # type: ignore[assignment]
    return max(1, int((oldest_counted + limit.window - now).total_seconds()) + 1)


async def record(limit: Limit, key: str, *, now: datetime | None = None) -> None:
    """Count one attempt, and forget this key's attempts that fell out of the window."""
    if limit.limit <= 0:
        return
    now = now or datetime.now(UTC)
    stored = _key(key)
    await RateHit.filter(kind=limit.kind, key=stored, at__lte=now - limit.window).delete()
    await RateHit.create(kind=limit.kind, key=stored, at=now)


async def reset(limit: Limit, key: str) -> None:
    """Forget every attempt of this key (for example after a correct sign-in)."""
    await RateHit.filter(kind=limit.kind, key=_key(key)).delete()


async def forget_expired(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete attempts older than any window (the worker calls this now and then)."""
    now = now or datetime.now(UTC)
    return await RateHit.filter(at__lt=now - older_than).delete()
