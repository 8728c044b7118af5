"""The sign-up limit per client address, kept in the database so every worker shares it,
and the client address itself.

The limit fits real life: only accepted sign-ups count towards ``EVENTS_SIGNUP_RATE_LIMIT``
per hour (a school class on one network signs up one by one); attempts that fail (a typo,
a full form, a closed activity) count separately towards a ceiling :data:`FAILED_FACTOR`
times higher, against a script that tries and tries. A refusal says honestly when to try
again. The HTML form and the JSON API share it. The counting itself lives in
``services.limits`` (a sliding window of rows in ``rate_hit``).

:class:`RateLimiter`, an in-process window, is kept for callers that still build one.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request

from events.services import limits
from events.settings import Settings

SIGNUP_WINDOW = timedelta(hours=1)
FAILED_FACTOR = 3


@dataclass(frozen=True)
class SignupLimits:
    """Accepted sign-ups per address per hour, and failed attempts with their own ceiling."""

    accepted: limits.Limit
    failed: limits.Limit

    @classmethod
    def from_settings(cls, settings: Settings) -> SignupLimits:
        allowed = max(0, settings.signup_rate_limit)
        return cls(
            accepted=limits.Limit("signup", allowed, SIGNUP_WINDOW),
            failed=limits.Limit("signup_failed", allowed * FAILED_FACTOR, SIGNUP_WINDOW),
        )


def _limits(request: Request) -> SignupLimits:
    return SignupLimits.from_settings(request.app.state.settings)


async def signup_wait(request: Request) -> int | None:
    """Seconds until this address may try to sign up again, or None when it may now."""
    key, both = client_key(request), _limits(request)
    waits = [await limits.wait_for(both.accepted, key), await limits.wait_for(both.failed, key)]
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


async def count_signup(request: Request, *, accepted: bool) -> None:
    """Count one sign-up attempt of this address: towards the accepted limit, or towards
    the ceiling of failed attempts."""
    both = _limits(request)
    await limits.record(both.accepted if accepted else both.failed, client_key(request))


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds per key, in this process only;
    ``limit`` 0 switches it off."""

    def __init__(
        self, limit: int, window: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is refused)."""
        if self.limit <= 0:
            return True
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        return True

    def retry_after(self, key: str) -> int:
        hits = self._hits.get(key)
        if not hits:
            return 0
        return max(1, int(hits[0] + self.window - self.clock()))

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
