"""Rate limits on what anyone may do with ideas, per client address and per email address:
proposing, saying "I would come" and reporting. Kept in the database through
``services.limits``, so every worker process shares them.

Owns the limits and :class:`Throttled`, a :class:`Conflict` that says how long to wait
(the web layer answers it with 429 and ``Retry-After``). Imports ``services.limits`` and
errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from events.services import limits
from events.services.errors import Conflict
from events.services.limits import Limit

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# A class proposing together shares one address: room for them, none for a script.
PROPOSALS_BY_ADDRESS = Limit("idea_prop_addr", 10, HOUR)
PROPOSALS_BY_EMAIL = Limit("idea_prop_email", 3, DAY)
SUPPORTS_BY_ADDRESS = Limit("idea_supp_addr", 30, HOUR)
SUPPORTS_BY_EMAIL = Limit("idea_supp_email", 10, HOUR)
REPORTS_BY_ADDRESS = Limit("idea_report_addr", 10, HOUR)


class Throttled(Conflict):
    """Too many attempts: ``retry_after`` whole seconds until the next one is allowed."""

    def __init__(self, code: str, *, retry_after: int) -> None:
        super().__init__(code)
        self.retry_after = retry_after


async def check_limits(code: str, checks: Sequence[tuple[Limit, str]], *, now: datetime) -> None:
    """Raise :class:`Throttled` when any (limit, key) pair is used up."""
    waits = [await limits.wait_for(limit, key, now=now) for limit, key in checks if key]
    worst = max((w for w in waits if w is not None), default=None)
    if worst is not None:
        raise Throttled(code, retry_after=worst)


async def count_attempts(checks: Sequence[tuple[Limit, str]], *, now: datetime) -> None:
    """Record one attempt against every (limit, key) pair."""
    for limit, key in checks:
        if key:
            await limits.record(limit, key, now=now)
