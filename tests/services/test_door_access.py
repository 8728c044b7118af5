"""Every door service that reads or changes an organisation's data checks the actor: a host
of another venue and an organiser of another organisation get NotFound and change nothing."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from events.models import CheckIn, Event, Registration, ScanAttempt
from events.services import door
from events.services import registrations as reg
from events.services.errors import NotFound
from events.services.staff import Actor, load_actor
from events.settings import Settings
from tests import factories

Call = Callable[[Actor], Awaitable[object]]


async def _actor(user_id: int) -> Actor:
    actor = await load_actor(user_id)
    assert actor is not None
    return actor


@pytest.fixture
async def world(db: Settings) -> tuple[Event, Registration, list[Actor]]:
    """An event with one person checked in with a pouch, and two strangers to it."""
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    request = reg.SignupRequest(
        first_name="Ana", email="ana@example.org", birth_year=event.starts_at.year - 20
    )
    ana = (await reg.sign_up(event.id, request, settings=db)).lead
    assert ana is not None
    own = await _actor((await factories.host(org, [venue])).id)
    now = datetime.now(UTC)
    scan = door.check_scan(nonce="own-1", device_id="d", scanned_at=now, now=now, code=ana.code)
    assert (await door.check_in(own, event.id, scan)).ok
    await door.set_pouch(own, event.id, ana.id, "5")
    other_venue = await factories.venue(org)
    strangers = [
        await _actor((await factories.host(org, [other_venue])).id),
        await _actor((await factories.organiser(await factories.organisation())).id),
    ]
    return event, ana, strangers


def calls(event: Event, ana: Registration, settings: Settings) -> dict[str, Call]:
    now = datetime.now(UTC)

    def scan(nonce: str) -> door.Scan:
        return door.check_scan(nonce=nonce, device_id="x", scanned_at=now, now=now, code=ana.code)

    walk = door.WalkIn(first_name="Noor", group="older")
    return {
        "door_event": lambda a: door.door_event(a, event.id),
        "check_in": lambda a: door.check_in(a, event.id, scan(f"x-{a.user_id}")),
        "check_in by name": lambda a: door.check_in(
            a, event.id, scan(f"y-{a.user_id}"), registration_id=ana.id
        ),
        "undo_check_in": lambda a: door.undo_check_in(a, event.id, ana.id),
        "set_pouch": lambda a: door.set_pouch(a, event.id, ana.id, "9"),
        "check_out": lambda a: door.check_out(a, event.id, ana.id),
        "pouches_out": lambda a: door.pouches_out(a, event.id),
        "duplicate_scans": lambda a: door.duplicate_scans(a, event.id),
        "door_counts": lambda a: door.door_counts(a, [event.id]),
        "search_attendees": lambda a: door.search_attendees(a, event.id, "an"),
        "attendee_list": lambda a: door.attendee_list(a, event.id),
        "walk_in": lambda a: door.walk_in(
            a, event.id, walk, scan(f"w-{a.user_id}"), settings=settings
        ),
        "admit_walk_in": lambda a: door.admit_walk_in(
            a, event.id, ana.id, scan(f"z-{a.user_id}"), override=True
        ),
    }


async def test_each_door_service_refuses_a_foreign_actor(
    world: tuple[Event, Registration, list[Actor]], db: Settings
) -> None:
    event, ana, strangers = world
    let_through = []
    for name, call in calls(event, ana, db).items():
        for stranger in strangers:
            try:
                await call(stranger)
            except NotFound:
                continue
            let_through.append((name, stranger.role.value))
    assert let_through == []
    row = await CheckIn.get(registration_id=ana.id)
    assert (row.pouch, row.undone_at, row.checked_out_at) == ("5", None, None)
    assert await ScanAttempt.all().count() == 1
    assert await Registration.filter(event_id=event.id).count() == 1


def test_every_public_door_service_is_covered() -> None:
    """A new service in the package must be added to the list above."""
    services = {
        name
        for name in door.__all__
        if inspect.iscoroutinefunction(getattr(door, name))
        and "actor" in inspect.signature(getattr(door, name)).parameters
    }
    unused = cast(Any, None)  # the calls are only built here, never awaited
    covered = {name.split()[0] for name in calls(unused, unused, unused)}
    assert services <= covered, services - covered
