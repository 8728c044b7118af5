"""The sign-up limit per client address, kept in the database so every worker shares it,
and the client address itself.

The limit fits real life: only accepted sign-ups count towards ``EVENTS_SIGNUP_RATE_LIMIT``
per hour (a school class on one network signs up one by one); attempts that fail (a typo,
a full form, a closed activity) count separately towards a ceiling :data:`FAILED_FACTOR`
times higher, against a script that tries and tries. A refusal says honestly when to try
again. The HTML form and the JSON API share it. The counting itself lives in
``services.limits`` (a sliding window of rows in ``rate_hit``).
"""

from __future__ import annotations

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


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
