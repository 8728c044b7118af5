"""The organiser's event form when people have signed up: places below those taken are
refused next to the field with the number, a raise promotes the waiting list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from events.models import Event, OutboxMessage, Registration, RegistrationStatus
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

AMS = ZoneInfo("Europe/Amsterdam")


def evening(days: int = 7) -> dict[str, datetime]:
    """19:30–21:30 Amsterdam time, ``days`` from now: the edit form's date holds both."""
    day = (datetime.now(AMS) + timedelta(days=days)).date()
    start = datetime(day.year, day.month, day.day, 19, 30, tzinfo=AMS).astimezone(UTC)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


@pytest.fixture
async def event(client: httpx.AsyncClient, settings: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    event = await factories.event(venue, places_young=2, places_older=2, **evening())
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


async def test_a_time_on_the_night_the_clocks_go_back_asks_which(
    client: httpx.AsyncClient, event: Event
) -> None:
    path = "/organise/events/new"
    data = {
        "title": "Nachtcafé", "venue": str(event.venue_id), "date": "2031-10-26",
        "start_time": "02:30", "end_time": "04:00", "places_young": "5",
    }  # fmt: skip
    asked = await post_form(client, path, data, form_page=path)
    assert asked.status_code == 422
    html = soup(asked)
    assert "twee keer" in html.find(id="f-start_time-error").text
    assert {i["value"] for i in html.select("input[name=start_time_fold]")} == {"0", "1"}
    chosen = await post_form(client, path, {**data, "start_time_fold": "1"}, form_page=path)
    assert chosen.status_code == 303
    spring = await post_form(client, path, {**data, "date": "2031-03-30"}, form_page=path)
    assert spring.status_code == 422
    assert "bestaat niet" in soup(spring).find(id="f-start_time-error").text


async def test_moving_the_activity_mails_the_people_signed_up(
    client: httpx.AsyncClient, event: Event
) -> None:
    path = f"/organise/events/{event.id}/edit"
    start = event.starts_at.astimezone(AMS)
    new_start, new_end = ("10:00", "12:00") if start.hour != 10 else ("14:00", "16:00")
    form = edit_form(event, start_time=new_start, end_time=new_end)
    response = await post_form(client, path, form, form_page=path)
    assert response.status_code == 303
    changed = await OutboxMessage.filter(kind="event_changed").values_list("to_email", flat=True)
    assert sorted(changed) == ["ana@example.org", "bo@example.org", "cas@example.org"]
