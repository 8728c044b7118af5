"""Headers every answer carries: Permissions-Policy everywhere (the camera only on the
scanner page), ``Cache-Control: no-store`` on every page or download with personal data,
and 503 with Retry-After while the database does not answer."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from events.app import create_app
from events.models import Event, Person, Registration
from tests import factories
from tests.conftest import make_settings
from tests.web.helpers import post_form, sign_in

YEAR = datetime.now(UTC).year


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation(slug="samen")
    venue = await factories.venue(org, slug="cafe")
    await factories.organiser(org, email="inge@example.org")
    await factories.host(org, [venue], email="fatima@example.org")
    return await factories.event(venue, slug="avond")


async def _signed_up(client: httpx.AsyncClient) -> Registration:
    data = {"first_name": "Ana", "email": "ana@example.org", "birth_year": str(YEAR - 20)}
    response = await post_form(client, "/events/avond/signup", data, form_page="/events/avond")
    assert response.status_code == 303
    return await Registration.get(email="ana@example.org")


async def test_permissions_policy_everywhere_camera_only_on_the_scanner(
    client: httpx.AsyncClient, event: Event
) -> None:
    public = ["/", "/events/avond", "/login", "/calendar.ics", "/api/events", "/healthz",
              "/static/css/site.css", "/no-such-page", "/api/no-such-thing"]  # fmt: skip
    for path in public:
        policy = (await client.get(path)).headers.get("permissions-policy", "")
        assert "camera=()" in policy and "microphone=()" in policy, path
        assert "geolocation=()" in policy, path
    await sign_in(client, "fatima@example.org")
    scanner = await client.get(f"/host/events/{event.id}/scan")
    assert scanner.status_code == 200
    assert "camera=(self)" in scanner.headers["permissions-policy"]
    assert "microphone=()" in scanner.headers["permissions-policy"]
    assert "camera=()" in (await client.get("/host/")).headers["permissions-policy"]


async def test_pages_and_downloads_with_personal_data_are_never_stored(
    client: httpx.AsyncClient, event: Event
) -> None:
    registration = await _signed_up(client)
    code = registration.code
    person = await Person.get(email="ana@example.org")
    personal = [
        "/events/avond/thanks",
        f"/tickets/{code}",
        f"/tickets/{code}/print",
        f"/tickets/{code}/my-data",
        f"/feeds/{person.feed_token}.ics",
    ]
    for path in personal:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("cache-control", ""), path
    # A form answered with what was typed in it holds personal data too.
    bad = {"first_name": "Ana", "email": "not-an-address", "birth_year": "1950"}
    again = await post_form(client, "/events/avond/signup", bad, form_page="/events/avond")
    assert again.status_code == 422
    assert again.headers["cache-control"] == "no-store"
    # Everything a signed-in organiser sees is about people or their organisation.
    await sign_in(client, "inge@example.org")
    for path in ("/organise/", f"/organise/events/{event.id}/registrations", "/", "/host/"):
        response = await client.get(path)
        assert response.headers.get("cache-control") == "no-store", path


async def test_public_pages_stay_cacheable(client: httpx.AsyncClient, event: Event) -> None:
    for path in ("/", "/events/avond", "/calendar.ics"):
        assert "no-store" not in (await client.get(path)).headers.get("cache-control", ""), path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_503_with_retry_after_while_the_database_does_not_answer(
    tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "not-there-yet"
    url = (
        f"sqlite://{folder}/events.sqlite3"
        if kind == "sqlite"
        else f"postgres://postgres@127.0.0.1:{_closed_port()}/test"
    )
    app = create_app(make_settings(tmp_path, url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            for path in ("/", "/events/avond", "/api/events", "/api/events/avond", "/venues/x"):
                response = await http.get(path)
                assert response.status_code == 503, path
                assert int(response.headers["retry-after"]) > 0
                assert "permissions-policy" in response.headers
                assert response.headers["cache-control"] == "no-store"
                if path.startswith("/api/"):
                    assert response.json()["error"]["code"] == "service_unavailable"
                else:
                    assert response.headers["content-type"].startswith("text/html")
            # Pages that need no database keep working.
            assert (await http.get("/login")).status_code == 200
            if kind == "sqlite":
                # The database comes back: the next request is served, no restart needed.
                # (Before, the first failure left a lock held and every later query hung.)
                folder.mkdir()
                healthz = await asyncio.wait_for(http.get("/healthz"), timeout=30)
                assert healthz.status_code == 200
