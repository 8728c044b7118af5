"""Benchmark: ``/calendar.ics`` with 5,000 published events, through the whole app.

Builds a fresh SQLite database in a temporary folder (or uses ``--database-url``), loads
N events over 50 venues, then times, in the same run:

- the full feed (aggregate validator + query + build + send), median of several runs;
- the conditional request answered 304 (validator only, no body);
- the pure builders alone: ``build_calendar`` and bare VEVENTs (UID, DTSTAMP, UTC times).

Run: ``.venv/bin/python scripts/bench/feeds.py [--events 5000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from events.app import create_app
from events.calendars import FeedInfo, VEventCache, build_bare_vevents, build_calendar
from events.db import migrate_database, tortoise_config
from events.models import Event, EventStatus, Organisation, Venue
from events.services.calendars import FeedScope, feed_events
from events.settings import Settings
from events.web.caching import BodyCache


async def load(settings: Settings, n_events: int) -> None:
    await migrate_database(settings)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    org = await Organisation.create(slug="bench", name="Stichting Bench")
    venues = [
        await Venue.create(
            organisation=org, slug=f"venue-{i}", name=f"Café {i}", address=f"Markt {i}",
            postcode="7201 AA", town=("Zutphen", "Lochem", "Deventer")[i % 3],
        )
        for i in range(50)
    ]  # fmt: skip
    start = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=1)
    rows = [
        Event(
            slug=f"bench-{i}", title=f"Spelletjesavond {i}", summary="Samen spelen.",
            description="Een avond met bordspellen voor jong en oud. " * 5,
            phone_rules="Telefoons gaan in een zakje bij de deur.",
            venue=venues[i % 50], organisation=org, starts_at=start + timedelta(hours=7 * i),
            ends_at=start + timedelta(hours=7 * i + 2), status=EventStatus.PUBLISHED,
            places_young=10, places_older=10, sequence=1, published_at=start,
        )
        for i in range(n_events)
    ]  # fmt: skip
    await Event.bulk_create(rows, batch_size=500)
    await Tortoise.close_connections()


async def timed(runs: int, action: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    durations, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = await action()
        durations.append(time.perf_counter() - began)
    return statistics.median(durations), result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite://{folder}/bench.sqlite3"
        settings = Settings(data_dir=Path(folder), database_url=url, secret_key="bench")
        await load(settings, args.events)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:

                async def cold() -> httpx.Response:
                    app.state.feed_bodies = BodyCache()  # build the body every time
                    app.state.vevents = VEventCache()
                    return await http.get("/calendar.ics")

                full_time, full = await timed(args.runs, cold)
                assert full.status_code == 200, full.status_code

                async def one_change() -> httpx.Response:
                    app.state.feed_bodies = BodyCache()  # as after a change to one event
                    return await http.get("/calendar.ics")

                rebuilt_time, _rebuilt = await timed(args.runs, one_change)
                warm_time, warm = await timed(args.runs, lambda: http.get("/calendar.ics"))
                assert warm.content == full.content
                etag = {"If-None-Match": full.headers["etag"]}
                cond_time, cond = await timed(
                    args.runs, lambda: http.get("/calendar.ics", headers=etag)
                )
                assert cond.status_code == 304, cond.status_code
            query_time, events = await timed(
                args.runs, lambda: feed_events(FeedScope(), now=datetime.now(UTC))
            )

        async def build() -> bytes:
            return build_calendar(events, FeedInfo(name="Bench", base_url=settings.base_url))

        async def bare() -> bytes:
            return build_bare_vevents(events, base_url=settings.base_url)

        build_time, body = await timed(args.runs, build)
        bare_time, bare_body = await timed(args.runs, bare)

    n = len(events)
    print(f"events in feed:                  {n}")
    size = len(full.content)
    print(f"GET /calendar.ics (200):         {full_time * 1000:8.1f} ms  "
          f"{size / 1024:8.1f} KiB  ({size / n:.0f} B/event)")  # fmt: skip
    print(f"GET /calendar.ics (200, rebuilt):{rebuilt_time * 1000:8.1f} ms  (VEVENTs cached)")
    print(
        f"GET /calendar.ics (200, repeat): {warm_time * 1000:8.1f} ms  (body cache, no condition)"
    )
    print(f"GET /calendar.ics (304):         {cond_time * 1000:8.1f} ms  "
          f"{len(cond.content)} B")  # fmt: skip
    print(f"  query + map to dataclasses:    {query_time * 1000:8.1f} ms")
    print(f"  build_calendar alone:          {build_time * 1000:8.1f} ms  "
          f"{len(body) / 1024:8.1f} KiB")  # fmt: skip
    print(f"  bare VEVENTs (UID/DTSTAMP/UTC):{bare_time * 1000:8.1f} ms  "
          f"{len(bare_body) / 1024:8.1f} KiB")  # fmt: skip
    print(f"median of {args.runs} runs each; database {url.split(':')[0]}")


if __name__ == "__main__":
    asyncio.run(main())
