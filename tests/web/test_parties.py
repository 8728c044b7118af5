"""Parties (issue 10, point 3): errors about a companion sit on that companion's fields and
name them; a lead who cancels is asked about the companions' places; each companion can
cancel their own place from their own ticket."""

from __future__ import annotations

import httpx
import pytest

from events.models import Event, Registration, RegistrationStatus
from tests import factories
from tests.web.helpers import post_form, soup


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    return await factories.event(venue, slug="avond", places_young=5, places_older=5)


def born(event: Event, age: int) -> str:
    return str(event.starts_at.year - age)


async def submit(client: httpx.AsyncClient, data: dict[str, str]) -> httpx.Response:
    return await post_form(client, "/events/avond/signup", data, form_page="/events/avond")


def grandmother(event: Event, **companions: str) -> dict[str, str]:
    return {
        "first_name": "Riet",
        "email": "riet@example.org",
        "birth_year": born(event, 74),
        **companions,
    }


async def test_a_grandchild_too_young_is_named_on_their_own_field(
    client: httpx.AsyncClient, event: Event
) -> None:
    response = await submit(
        client,
        grandmother(
            event,
            companion_1_name="Jet",
            companion_1_birth_year=born(event, 70),
            companion_2_name="Kleine Bo",
            companion_2_birth_year=born(event, 8),
        ),
    )
    assert response.status_code == 422
    html = soup(response)
    assert html.find(id="f-birth_year").get("aria-invalid") is None  # Riet's own age is fine
    error = html.find(id="f-companion_2_birth_year-error")
    assert error is not None and "Kleine Bo" in error.text
    assert html.find(id="f-companion_2_birth_year")["aria-invalid"] == "true"
    assert not html.find(id="f-companion_1_birth_year-error")
    assert html.select_one("details.more[open] #f-companion_2_name")  # the section is open
    assert await Registration.all().count() == 0


async def test_a_bad_companion_year_and_a_child_without_an_adult_name_the_companion(
    client: httpx.AsyncClient, event: Event
) -> None:
    bad_year = await submit(
        client, grandmother(event, companion_1_name="Noor", companion_1_birth_year="twintig")
    )
    assert "Noor" in soup(bad_year).find(id="f-companion_1_birth_year-error").text
    teen = {
        "first_name": "Sam",
        "email": "sam@example.org",
        "birth_year": born(event, 15),
        "guardian_email": "mama@example.org",
        "companion_1_name": "Kim",
        "companion_1_birth_year": born(event, 13),
    }
    alone = soup(await submit(client, teen))
    error = alone.find(id="f-companion_1_birth_year-error")
    assert error is not None and "Kim" in error.text
    assert not alone.find(id="f-companion_1_name-error")


async def party(client: httpx.AsyncClient, event: Event) -> list[Registration]:
    response = await submit(
        client,
        grandmother(
            event,
            companion_1_name="Jet",
            companion_1_birth_year=born(event, 70),
            companion_2_name="Noor",
            companion_2_birth_year=born(event, 14),
        ),
    )
    assert response.status_code == 303
    return list(await Registration.all().order_by("id"))


async def cancel(client: httpx.AsyncClient, code: str, **data: str) -> httpx.Response:
    return await post_form(client, f"/tickets/{code}/cancel", data, form_page=f"/tickets/{code}")


async def statuses() -> list[str]:
    return [r.status.value for r in await Registration.all().order_by("id")]


async def test_the_lead_is_asked_about_the_companions_and_may_go_alone(
    client: httpx.AsyncClient, event: Event
) -> None:
    riet, _jet, _noor = await party(client, event)
    asked = soup(await cancel(client, riet.code))
    assert "Jet" in asked.text and "Noor" in asked.text
    assert "Noor is jonger dan 16" in asked.text  # she cannot stay without an adult
    choices = {b["value"] for b in asked.select("button[name=party]")}
    assert choices == {"all", "me"}
    assert await statuses() == ["confirmed"] * 3  # asking cancels nothing
    done = await cancel(client, riet.code, confirm="yes", party="me")
    assert done.status_code == 303
    assert await statuses() == ["cancelled", "confirmed", "cancelled"]


async def test_the_lead_may_cancel_the_whole_party(client: httpx.AsyncClient, event: Event) -> None:
    riet, _jet, _noor = await party(client, event)
    await cancel(client, riet.code, confirm="yes", party="all")
    assert await statuses() == ["cancelled"] * 3
    await event.refresh_from_db()
    assert (event.taken_young, event.taken_older) == (0, 0)


async def test_each_companion_cancels_their_own_place_from_their_own_ticket(
    client: httpx.AsyncClient, event: Event
) -> None:
    riet, jet, _noor = await party(client, event)
    ticket = soup(await client.get(f"/tickets/{jet.code}"))
    assert ticket.select_one(".cancel-form")
    asked = soup(await cancel(client, jet.code))
    assert not asked.select("button[value=me]")  # a companion has no party to ask about
    await cancel(client, jet.code, confirm="yes", party="all")
    assert await statuses() == ["confirmed", "cancelled", "confirmed"]
    lead = soup(await client.get(f"/tickets/{riet.code}"))
    assert "Jet" in lead.text and "geannuleerd" in lead.text.lower()
    assert (await Registration.get(id=riet.id)).status == RegistrationStatus.CONFIRMED
