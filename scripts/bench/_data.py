"""Data for the benchmarks, written and read straight through the models (not over HTTP).

Run in its own process against the database of the environment (``EVENTS_DATABASE_URL``):
Tortoise keeps per-model SQL of the first dialect it saw, so SQLite and PostgreSQL each get
a fresh process. Prints one JSON value.

- ``event SLUG --venue V --young N --older N --open N --starts-in MINUTES``: one published
  event at a venue of the demo data; prints its id.
- ``activities N``: N upcoming published activities over the demo venues, one every 3 h
  from tomorrow on (5,000 reach about 21 months ahead); prints N.
- ``codes SLUG``: the ticket codes of the event's confirmed registrations.
- ``storm SLUG``: how the event's registrations ended (confirmed, waiting, positions).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tortoise import Tortoise

from events.db import tortoise_config
from events.models import Event, EventStatus, Registration, RegistrationStatus, Venue
from events.settings import Settings


async def make_event(args: argparse.Namespace) -> int:
    venue = await Venue.get(slug=args.venue)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=args.starts_in)
    event = await Event.create(
        slug=args.slug, title=f"Bench {args.slug}", summary="Samen spelen.", venue=venue,
        organisation_id=venue.organisation_id, starts_at=start, ends_at=start + timedelta(hours=3),
        status=EventStatus.PUBLISHED, published_at=datetime.now(UTC), places_young=args.young,
        places_older=args.older, places_open=args.open,
    )  # fmt: skip
    return event.id


async def make_activities(args: argparse.Namespace) -> int:
    venues = await Venue.all()
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    rows = [
        Event(
            slug=f"bench-{i}", title=f"Spelletjesavond {i}", summary="Samen spelen.",
            description="Een avond met bordspellen voor jong en oud. " * 5,
            phone_rules="Telefoons gaan in een zakje bij de deur.",
            venue=venues[i % len(venues)], organisation_id=venues[i % len(venues)].organisation_id,
            starts_at=start + timedelta(hours=3 * i), ends_at=start + timedelta(hours=3 * i + 2),
            status=EventStatus.PUBLISHED, places_young=10, places_older=10, sequence=1,
            published_at=start,
        )
        for i in range(args.n)
    ]  # fmt: skip
    await Event.bulk_create(rows, batch_size=500)
    return int(args.n)


async def codes(args: argparse.Namespace) -> list[str]:
    rows = await Registration.filter(
        event__slug=args.slug, status=RegistrationStatus.CONFIRMED
    ).values_list("code", flat=True)
    return [str(code) for code in rows]


async def storm(args: argparse.Namespace) -> dict[str, Any]:
    rows = await Registration.filter(event__slug=args.slug).values_list("status", "waitlist_number")
    statuses: dict[str, int] = {}
    for status, _number in rows:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    waiting = sorted(n for s, n in rows if s == RegistrationStatus.WAITLISTED)
    return {
        "statuses": statuses,
        "confirmed": statuses.get("confirmed", 0),
        "waiting": len(waiting),
        "consecutive": waiting == list(range(1, len(waiting) + 1)),
    }


async def main(args: argparse.Namespace) -> None:
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        print(json.dumps(await args.run(args)))
    finally:
        await Tortoise.close_connections()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser()
    sub = top.add_subparsers(required=True)
    event = sub.add_parser("event")
    event.add_argument("slug")
    event.add_argument("--venue", required=True)
    for group in ("young", "older", "open"):
        event.add_argument(f"--{group}", type=int, default=0)
    event.add_argument("--starts-in", type=int, default=30, help="minutes from now")
    event.set_defaults(run=make_event)
    many = sub.add_parser("activities")
    many.add_argument("n", type=int)
    many.set_defaults(run=make_activities)
    for name, run in (("codes", codes), ("storm", storm)):
        one = sub.add_parser(name)
        one.add_argument("slug")
        one.set_defaults(run=run)
    return top


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
