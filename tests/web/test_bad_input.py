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
from events.models import Event
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


# --- issue 13: every case found by attacking the site -------------------------------------

HOSTILE_PATHS = [
    "/events/a%00b",
    "/venues/a%00b",
    "/organisations/%00",
    "/tickets/%00",
    "/consent/%00",
    "/feeds/a%00.ics",
    "/api/events/a%00b",
    "/events/" + "x" * 300,
    "/venues/" + "x" * 300,
    "/organisations/" + "x" * 300 + "/calendar.ics",
    "/tickets/" + "x" * 300,
    "/consent/" + "x" * 300,
    "/feeds/" + "x" * 300 + ".ics",
    "/api/events/" + "x" * 300,
    "/api/events/" + "x" * 300 + "/registrations",
]
EDGE_DAYS = ["0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01"]


async def test_hostile_paths_get_a_4xx(client: httpx.AsyncClient, world: dict[str, int]) -> None:
    for path in HOSTILE_PATHS:
        response = await client.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert "content-security-policy" in response.headers
        if path.startswith("/api/"):
            assert response.headers["content-type"] == "application/json", path
            assert response.json()["error"]["code"]


async def test_edge_dates_in_queries_get_a_4xx_or_are_ignored(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    for day in EDGE_DAYS:
        for path in ("/", "/embed", "/calendar.ics", "/feed.atom", "/api/events"):
            response = await client.get(path, params={"from": day})
            assert response.status_code < 500, (path, day)
        answer = await client.get("/api/events", params={"from": day})
        assert answer.status_code == 422
        assert answer.json()["error"]["fields"]["from"]["code"] == "invalid_date"


async def test_edge_dates_and_huge_numbers_in_organiser_forms(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    await sign_in(client, "inge@example.org")
    token = await csrf_token(client, "/organise/")
    good = {
        "title": "Avond", "venue": str(world["venue"]), "date": "2030-05-01",
        "start_time": "19:00", "end_time": "21:00", "places_young": "5", "places_older": "5",
        "places_open": "0", "young_min_age": "12", "young_max_age": "30", "older_min_age": "65",
        "table_size": "4", "table_rounds": "1", "csrf_token": token,
    }  # fmt: skip
    for field, value in (
        [("date", d) for d in EDGE_DAYS]
        + [(name, str(2**31)) for name in ("places_young", "venue", "older_min_age")]
        + [(name, str(2**63)) for name in ("places_open", "venue")]
    ):
        response = await client.post("/organise/events/new", data={**good, field: value})
        assert response.status_code == 422, (field, value, response.status_code)
    copy = f"/organise/events/{world['event']}/copy"
    for day in EDGE_DAYS:
        response = await client.post(copy, data={"date": day, "csrf_token": token})
        assert response.status_code < 500, day
    for path in (f"/organise/events/{2**31}", f"/organise/events/{2**40}",
                 f"/organise/outbox/{2**40}/retry"):  # fmt: skip
        response = await client.post(path, data={"csrf_token": token})
        assert response.status_code in (404, 405), path


async def test_deeply_nested_json_gets_a_400(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = await client.post(
            "/api/events/avond/registrations",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert response.status_code in (400, 413), response.status_code
        assert response.json()["error"]["code"] in ("invalid_json", "too_large")


async def test_huge_integers_and_edge_dates_in_the_api(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    for year in (2**31, -(2**31) - 1, 2**63, 10**30, "99999999999", "0001", "9999"):
        response = await client.post(
            "/api/events/avond/registrations",
            json={"first_name": "Ana", "email": "ana@example.org", "birth_year": year},
        )
        assert response.status_code == 422, (year, response.status_code)


async def test_line_breaks_in_feed_queries_and_titles(
    client: httpx.AsyncClient, world: dict[str, int]
) -> None:
    for path in ("/calendar.ics", "/feed.atom", "/embed"):
        response = await client.get(path, params={"town": "Zutphen\r\nX-Evil: 1"})
        assert response.status_code == 200, path
        assert "X-Evil" not in response.headers
    await sign_in(client, "inge@example.org")
    token = await csrf_token(client, "/organise/")
    form = {
        "title": "Avond\r\nBcc: iemand@example.org", "summary": "één\rtwee",
        "venue": str(world["venue"]), "date": "2030-05-01", "start_time": "19:00",
        "end_time": "21:00", "places_young": "5", "places_older": "5", "places_open": "0",
        "young_min_age": "12", "young_max_age": "30", "older_min_age": "65",
        "table_size": "4", "table_rounds": "1", "slug": "met-regels", "csrf_token": token,
    }  # fmt: skip
    response = await client.post("/organise/events/new", data=form)
    assert response.status_code == 303, response.text[:300]
    event = await Event.get(slug="met-regels")
    assert event.title == "Avond Bcc: iemand@example.org" and event.summary == "één twee"
    await client.post(f"/organise/events/{event.id}/publish", data={"csrf_token": token})
    assert (await client.get("/events/met-regels/event.ics")).status_code == 200


async def test_unexpected_errors_in_the_door_api_answer_json(
    client: httpx.AsyncClient, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from events.services import door

    async def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(door, "attendee_list", boom)
    await sign_in(client, "inge@example.org")
    transport = httpx.ASGITransport(app=client._transport.app, raise_app_exceptions=False)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies=client.cookies
    ) as http:
        response = await http.get(f"/api/host/events/{world['event']}/attendees")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"
    assert "kapot" not in response.text
    assert "content-security-policy" in response.headers
    assert response.headers["cache-control"] == "no-store"


async def test_a_stored_title_with_a_line_break_does_not_break_sign_ups(
    client: httpx.AsyncClient, app: object
) -> None:
    """A title saved before titles were kept to one line still lets people sign up: the
    confirmation's calendar names it on one line."""
    from datetime import UTC, datetime

    from events.models import OutboxMessage

    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), title="Koffie\r\nen verhalen")
    answer = await client.post(
        f"/api/events/{event.slug}/registrations",
        json={"first_name": "Riet", "email": "riet@example.org",
              "birth_year": datetime.now(UTC).year - 80},
    )  # fmt: skip
    assert answer.status_code == 202
    assert await OutboxMessage.filter(to_email="riet@example.org").exists()
