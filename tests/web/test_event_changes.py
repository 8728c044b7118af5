"""The organiser's event form when people have signed up: places below those taken are
refused next to the field with the number, a raise promotes the waiting list."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from events.models import Event, Registration, RegistrationStatus
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def event(client: httpx.AsyncClient, settings: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    event = await factories.event(venue, places_young=2, places_older=2)
    for name in ("Ana", "Bo", "Cas"):
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org",
            birth_year=datetime.now(UTC).year - 20,
        )  # fmt: skip
        await reg.sign_up(event.id, request, settings=settings)
    await sign_in(client, "inge@example.org")
    return event


def edit_form(event: Event, **changes: str) -> dict[str, str]:
    start, end = event.starts_at.astimezone(AMS), event.ends_at.astimezone(AMS)
    values = {
        "title": event.title,
        "venue": str(event.venue_id),
        "date": start.date().isoformat(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "places_young": str(event.places_young),
        "places_older": str(event.places_older),
        "places_open": "0",
    }
    values.update(changes)
    return values


async def test_places_below_taken_are_refused_with_the_number(
    client: httpx.AsyncClient, event: Event
) -> None:
    path = f"/organise/events/{event.id}/edit"
    response = await post_form(client, path, edit_form(event, places_young="1"), form_page=path)
    assert response.status_code == 422
    error = soup(response).find(id="f-places_young-error")
    assert error is not None and "2" in error.text
    assert "2 mensen hebben al een plek" in error.text


async def test_more_places_promote_the_waiting_list(
    client: httpx.AsyncClient, event: Event
) -> None:
    path = f"/organise/events/{event.id}/edit"
    response = await post_form(client, path, edit_form(event, places_young="3"), form_page=path)
    assert response.status_code == 303
    cas = await Registration.get(first_name="Cas")
    assert cas.status == RegistrationStatus.CONFIRMED
