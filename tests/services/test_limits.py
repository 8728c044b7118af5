"""Rate limits in the database: a sliding window per kind and key, shared by workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from events.models import RateHit
from events.services import limits
from events.settings import Settings

SIGNUPS = limits.Limit("signup", 3, timedelta(hours=1))


async def test_window_counts_recorded_attempts_and_says_how_long_to_wait(db: Settings) -> None:
    start = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    for minute in (0, 10, 20):
        assert await limits.wait_for(SIGNUPS, "10.0.0.1", now=start) is None
        await limits.record(SIGNUPS, "10.0.0.1", now=start + timedelta(minutes=minute))
    now = start + timedelta(minutes=30)
    wait = await limits.wait_for(SIGNUPS, "10.0.0.1", now=now)
    assert wait is not None and 29 * 60 < wait <= 30 * 60 + 1  # the first hit leaves at 13:00
    assert await limits.wait_for(SIGNUPS, "10.0.0.2", now=now) is None  # another address
    later = start + timedelta(minutes=61)
    assert await limits.wait_for(SIGNUPS, "10.0.0.1", now=later) is None


async def test_old_attempts_are_forgotten_and_long_keys_fit(db: Settings) -> None:
    start = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    key = "x" * 500
    await limits.record(SIGNUPS, key, now=start)
    await limits.record(SIGNUPS, key, now=start + timedelta(hours=2))
    assert await RateHit.filter(kind="signup").count() == 1
    await limits.reset(SIGNUPS, key)
    assert await RateHit.all().count() == 0


async def test_a_limit_of_zero_is_off(db: Settings) -> None:
    off = limits.Limit("signup", 0, timedelta(hours=1))
    await limits.record(off, "a")
    assert await limits.wait_for(off, "a") is None
    assert await RateHit.all().count() == 0
