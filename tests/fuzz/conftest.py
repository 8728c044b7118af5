"""The fuzzing layer: schemathesis over the OpenAPI document and hypothesis over every HTML
form and door API route, on the test's own database (SQLite or PostgreSQL like the rest of
the suite). Bounded: a fixed number of examples per operation or route, derandomized
(the ``repeatable`` profile), so every run tries the same inputs and fails the same way.
Any 5xx or any answer the OpenAPI document does not describe fails the build.

``FUZZ_EXAMPLES`` (default 10 per route and 25 per API operation and mode) raises the
number of examples for a longer local search, ``HYPOTHESIS_PROFILE=explore`` draws new
ones.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import Tortoise

from events.db import tortoise_config
from events.models import EventStatus
from events.settings import Settings
from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 10)
PASSWORD = factories.PASSWORD


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: bounded fuzzing of the API and every form")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/fuzz/" in str(item.fspath):
            item.add_marker(pytest.mark.fuzz)


async def _seed(settings: Settings) -> dict[str, object]:
    """An organisation with a venue, a published event with places and a waiting list, a
    draft, a past event, an organiser and a host."""
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        org = await factories.organisation(slug="fuzz")
        venue = await factories.venue(org, slug="fuzz-cafe", town="Zutphen")
        event = await factories.event(venue, slug="avond", places_young=3, places_older=3)
        await factories.event(venue, slug="concept", status=EventStatus.DRAFT)
        start = datetime.now(UTC) - timedelta(days=3)
        await factories.event(venue, slug="voorbij", starts_at=start, ends_at=start)
        await factories.organiser(org, email="org@fuzz.example")
        await factories.host(org, [venue], email="host@fuzz.example")
        return {"event": event.id, "venue": venue.id, "slug": event.slug}
    finally:
        await Tortoise.close_connections()


@pytest.fixture
def seeded(settings: Settings) -> Iterator[tuple[Settings, dict[str, object]]]:
    """The test's database with :func:`_seed`'s rows, and settings without a sign-up limit
    (a limit would turn most generated sign-ups into 429s)."""
    fuzz_settings = settings.but(signup_rate_limit=0)
    yield fuzz_settings, asyncio.run(_seed(fuzz_settings))
