"""An organiser changes an activity that people signed up for: places raised go at once to
the first people waiting (with their mail), places lowered below those taken are refused,
and a change of time or place reaches everyone with a calendar file that updates theirs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from events.models import Event, OutboxMessage, Registration
from events.services import events as event_service
from events.services import registrations as reg
from events.services.errors import FormError, NotFound
from events.services.staff import Actor
from events.settings import Settings
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
YEAR = datetime.now(UTC).year


@pytest.fixture
async def staff(db: Settings) -> Actor:
    return await factories.organiser_actor(await factories.organisation())


@pytest.fixture
async def event(staff: Actor) -> Event:
    venue = await factories.venue(await staff_org(staff))
    return await factories.event(venue, places_young=2, places_older=2, places_open=0)


async def staff_org(staff: Actor) -> Any:
    from events.models import Organisation

    return await Organisation.get(id=staff.organisation_id)


def form_of(event: Event, **changes: object) -> dict[str, object]:
    start, end = event.starts_at.astimezone(AMS), event.ends_at.astimezone(AMS)
    values: dict[str, object] = {
        "title": event.title,
        "venue": str(event.venue_id),
        "date": start.date().isoformat(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "places_young": str(event.places_young),
        "places_older": str(event.places_older),
        "places_open": str(event.places_open),
        "slug": event.slug,
    }
    values.update(changes)
    return values


async def sign_up_young(event: Event, names: list[str], settings: Settings) -> None:
    for name in names:
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org", birth_year=YEAR - 20
        )
        await reg.sign_up(event.id, request, settings=settings)


async def status_of(name: str) -> str:
    return (await Registration.get(first_name=name)).status.value


async def test_raising_places_promotes_the_first_waiting_at_once(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana", "Bo", "Cas", "Dee", "Eli"], db)
    await event_service.update_event(
        staff, event, form_of(event, places_young="4"), tz=AMS, settings=db
    )
    assert [await status_of(n) for n in ("Cas", "Dee", "Eli")] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    promoted = await OutboxMessage.filter(kind="promoted").values_list("to_email", flat=True)
    assert sorted(promoted) == ["cas@example.org", "dee@example.org"]
    # The new places went to the line, not to whoever signs up next.
    await sign_up_young(event, ["Fay"], db)
    assert await status_of("Fay") == "waitlisted"
    await event.refresh_from_db()
    assert (event.places_young, event.taken_young) == (4, 4)


async def test_lowering_places_below_those_taken_is_refused(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana", "Bo"], db)
    with pytest.raises(FormError) as refused:
        await event_service.update_event(
            staff, event, form_of(event, places_young="1"), tz=AMS, settings=db
        )
    assert refused.value.errors == {"places_young": "places_below_taken"}
    await event.refresh_from_db()
    assert (event.places_young, event.taken_young) == (2, 2)
    # Lowering to exactly the number taken is fine.
    await event_service.update_event(
        staff, event, form_of(event, places_young="2", places_older="1"), tz=AMS, settings=db
    )
    await event.refresh_from_db()
    assert (event.places_young, event.places_older) == (2, 1)


async def test_saving_a_stale_event_keeps_the_places_taken_meanwhile(
    event: Event, staff: Actor, db: Settings
) -> None:
    stale = await Event.get(id=event.id)
    await sign_up_young(event, ["Ana"], db)
    await event_service.update_event(
        staff, stale, form_of(stale, title="Nieuwe titel"), tz=AMS, settings=db
    )
    fresh = await Event.get(id=event.id)
    assert (fresh.title, fresh.taken_young) == ("Nieuwe titel", 1)
    await sign_up_young(event, ["Bo", "Cas"], db)
    assert await status_of("Cas") == "waitlisted"


async def test_staff_of_another_organisation_cannot_change_places(
    event: Event, db: Settings
) -> None:
    other = await factories.organiser_actor(await factories.organisation())
    with pytest.raises((FormError, NotFound)):
        await event_service.update_event(
            other, event, form_of(event, places_young="9"), tz=AMS, settings=db
        )
    await event.refresh_from_db()
    assert event.places_young == 2
