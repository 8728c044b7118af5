"""A sliding-window limit on sign-ups per client address, kept in the process.

One limiter lives on ``app.state.signup_limiter``; the HTML form and the JSON API share it.
With several worker processes each keeps its own window, so the effective limit is at most
workers × limit: enough to stop a script, never in the way of a family signing up.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from starlette.requests import Request


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds per key; ``limit`` 0 switches it off."""

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
