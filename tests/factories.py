"""Test data builders: small async functions with sensible defaults, one row each."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from events.models import Event, EventStatus, Organisation, Role, StaffUser, Venue
from events.services.staff import Actor, create_user, load_actor

PASSWORD = "correct horse battery"
_n = itertools.count(1)


async def organisation(slug: str | None = None, name: str = "Stichting Test") -> Organisation:
    n = next(_n)
    return await Organisation.create(slug=slug or f"org-{n}", name=f"{name} {n}")


async def venue(org: Organisation, **fields: object) -> Venue:
    n = next(_n)
    values: dict[str, object] = {
        "slug": f"venue-{n}",
        "name": f"Café Test {n}",
        "kind": "cafe",
        "address": "Dorpsstraat 1",
        "postcode": "1234 AB",
        "town": "Zutphen",
    }
    values.update(fields)
    return await Venue.create(organisation=org, **values)


async def event(place: Venue, **fields: object) -> Event:
    n = next(_n)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=7)
    values: dict[str, object] = {
        "slug": f"event-{n}",
        "title": f"Spelletjesavond {n}",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "status": EventStatus.PUBLISHED,
        "places_young": 10,
        "places_older": 10,
        "places_open": 0,
    }
    values.update(fields)
    return await Event.create(
        venue=place,
        organisation_id=place.organisation_id,
        **values,
    )


async def organiser(org: Organisation, email: str | None = None) -> StaffUser:
    return await create_user(
        email or f"organiser{next(_n)}@example.org",
        PASSWORD,
        role=Role.ORGANISER,
        organisation=org,
    )


async def host(org: Organisation, venues: list[Venue], email: str | None = None) -> StaffUser:
    return await create_user(
        email or f"host{next(_n)}@example.org",
        PASSWORD,
        role=Role.HOST,
        organisation=org,
        venues=venues,
    )


async def actor_of(user: StaffUser) -> Actor:
    """The access-checked view of a staff member that services take."""
    loaded = await load_actor(user.id)
    assert loaded is not None
    return loaded


async def organiser_actor(org: Organisation) -> Actor:
    return await actor_of(await organiser(org))
