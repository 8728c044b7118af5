"""Bad input never gives a 500: every form gets nasty values and answers with a 4xx or a
redirect, and the 500 page itself is friendly."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.app import create_app
from events.settings import Settings
from tests import factories
from tests.web.helpers import csrf_token, sign_in, soup

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 20_000,
    "-1",
    "99999999999999999999",
    "1e9",
    "NaN",
    "<script>alert(1)</script>",
    "'; DROP TABLE event; --",
    "🙂🙃",
    "٣٤",
    "2030-02-30",
    "25:99",
    "0",
    "../../etc/passwd",
    "\u202e",
    "%s%n",
    "{{ 7*7 }}",
]
EVENT_FIELDS = [
    "title",
    "summary",
    "venue",
    "date",
    "start_time",
    "end_time",
    "places_young",
    "places_older",
    "places_open",
    "young_min_age",
    "young_max_age",
    "older_min_age",
    "table_size",
    "table_rounds",
    "slug",
    "phone_rules",
]
VENUE_FIELDS = [
    "name",
    "kind",
    "address",
    "postcode",
    "town",
    "capacity",
    "slug",
    "phone_storage",
    "description",
]
SIGNUP_FIELDS = [
    "first_name",
    "email",
    "birth_year",
    "guardian_email",
    "languages",
    "interests",
    "needs",
    "companion_1_name",
    "companion_1_birth_year",
]


@pytest.fixture
async def world(client: httpx.AsyncClient) -> dict[str, int]:
    org = await factories.organisation(slug="samen")
    venue = await factories.venue(org)
    event = await factories.event(venue, slug="avond")
    await factories.organiser(org, email="inge@example.org")
    return {"venue": venue.id, "event": event.id}


async def _post_everything(
    client: httpx.AsyncClient, path: str, fields: list[str], token: str
) -> set[int]:
    seen = set()
    for value in NASTY:
        data = {name: value for name in fields}
        response = await client.post(path, data={**data, "csrf_token": token})
        assert response.status_code < 500, (path, value, response.text[:500])
        seen.add(response.status_code)
    return seen


async def test_public_sign_up_form_survives_nasty_input(
    client: httpx.AsyncClient, world: dict[str, int], settings: Settings
) -> None:
    token = await csrf_token(client, "/events/avond")
    codes = await _post_everything(client, "/events/avond/signup", SIGNUP_FIELDS, token)
    assert codes <= {303, 422, 429}


async def test_organiser_forms_survive_nasty_input(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    await sign_in(client, "inge@example.org")
    token = await csrf_token(client, "/organise/")
    for path, fields in (
        ("/organise/events/new", EVENT_FIELDS),
        (f"/organise/events/{world['event']}/edit", EVENT_FIELDS),
        ("/organise/venues/new", VENUE_FIELDS),
        (f"/organise/venues/{world['venue']}/edit", VENUE_FIELDS),
        (f"/organise/events/{world['event']}/copy", ["date"]),
        (f"/organise/events/{world['event']}/register", ["first_name", "group", "email"]),
        ("/login", ["email", "password", "next"]),
    ):
        await _post_everything(client, path, fields, token)


async def test_query_strings_survive_nasty_input(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    for value in NASTY:
        for path in ("/", "/embed", "/calendar.ics", "/api/events"):
            for name in ("town", "venue", "from", "organisation"):
                response = await client.get(path, params={name: value})
                assert response.status_code < 500, (path, name, value)


async def test_a_crash_shows_a_friendly_page(settings: Settings) -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("kapot")

    app: Starlette = create_app(settings)
    app.router.routes.append(Route("/boom", boom))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/boom")
    assert response.status_code == 500
    assert soup(response).find("h1").text.strip() != ""
    assert "kapot" not in response.text and "Traceback" not in response.text
