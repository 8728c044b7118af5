"""Typos in email addresses get a suggestion before the sign-up is accepted, with a way to
keep the address as typed (issue 10, point 7): on the form and in the API."""

from __future__ import annotations

import httpx
import pytest

from events.models import Event, Registration
from tests import factories
from tests.web.helpers import post_form, soup


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation()
    return await factories.event(await factories.venue(org), slug="avond")


def form(event: Event, **changes: str) -> dict[str, str]:
    data = {
        "first_name": "Anna",
        "email": "anna@gmial.con",
        "birth_year": str(event.starts_at.year - 20),
    }
    data.update(changes)
    return data


async def submit(client: httpx.AsyncClient, data: dict[str, str]) -> httpx.Response:
    return await post_form(client, "/events/avond/signup", data, form_page="/events/avond")


async def test_the_form_suggests_and_one_tap_takes_the_suggestion(
    client: httpx.AsyncClient, event: Event
) -> None:
    asked = await submit(client, form(event))
    assert asked.status_code == 422
    html = soup(asked)
    assert "anna@gmail.com" in html.find(id="f-email-error").text
    use = html.find("button", attrs={"name": "use_email"})
    keep = html.find("button", attrs={"name": "keep_email"})
    assert use["value"] == "anna@gmail.com" and keep["value"] == "1"
    assert await Registration.all().count() == 0
    taken = await submit(client, form(event, use_email="anna@gmail.com"))
    assert taken.status_code == 303
    assert (await Registration.get()).email == "anna@gmail.com"


async def test_the_address_can_be_kept_as_typed(client: httpx.AsyncClient, event: Event) -> None:
    kept = await submit(client, form(event, email="anna@hotmal.com", keep_email="1"))
    assert kept.status_code == 303
    assert (await Registration.get()).email == "anna@hotmal.com"


async def test_the_guardian_address_gets_a_suggestion_too(
    client: httpx.AsyncClient, event: Event
) -> None:
    young = form(
        event, email="sam@example.org", birth_year=str(event.starts_at.year - 14),
        guardian_email="mama@hotmailcom",
    )  # fmt: skip
    asked = soup(await submit(client, young))
    assert "mama@hotmail.com" in asked.find(id="f-guardian_email-error").text
    assert asked.find("button", attrs={"name": "use_guardian_email"})["value"] == "mama@hotmail.com"


async def test_the_api_suggests_and_keep_email_keeps(
    client: httpx.AsyncClient, event: Event
) -> None:
    path = "/api/events/avond/registrations"
    body = {
        "first_name": "Anna",
        "email": "anna@gmial.con",
        "birth_year": event.starts_at.year - 20,
    }
    asked = await client.post(path, json=body, headers={"Accept-Language": "en"})
    assert asked.status_code == 422
    field = asked.json()["error"]["fields"]["email"]
    assert field["code"] == "email_suggestion"
    assert "anna@gmail.com" in field["message"] and "keep_email" in field["message"]
    kept = await client.post(path, json={**body, "keep_email": True})
    assert kept.status_code == 202
    assert (await Registration.get()).email == "anna@gmial.con"
