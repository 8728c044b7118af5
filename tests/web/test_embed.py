"""The embeddable listing: framing only by the hosts in the setting, links out in a new tab."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from events.app import create_app
from events.models import EventStatus
from events.settings import Settings
from tests import factories
from tests.web.helpers import soup


@asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def _world() -> None:
    org = await factories.organisation(slug="samen")
    zwaan = await factories.venue(org, slug="de-zwaan", name="Café De Zwaan", town="Zutphen")
    bieb = await factories.venue(org, slug="bieb", name="Bibliotheek", town="Lochem")
    await factories.event(zwaan, slug="spelletjes", title="Spelletjesavond")
    await factories.event(bieb, slug="verhalen", title="Verhalenavond")
    await factories.event(zwaan, slug="concept", title="Concept", status=EventStatus.DRAFT)


def _frame_ancestors(response: httpx.Response) -> str:
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["frame-ancestors"]


async def test_without_the_setting_nobody_may_frame_it(client: httpx.AsyncClient) -> None:
    await _world()
    response = await client.get("/embed", params={"town": "Zutphen"})
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["x-frame-options"] == "DENY"


async def test_only_listed_hosts_may_frame_it(settings: Settings) -> None:
    allowed = settings.but(frame_ancestors=("https://www.zutphen.nl", "https://*.bibliotheek.nl"))
    async with _client(allowed) as http:
        await _world()
        response = await http.get("/embed", params={"town": "Zutphen"})
        other_page = await http.get("/")
    assert response.status_code == 200
    sources = _frame_ancestors(response).split()
    assert sources == ["https://www.zutphen.nl", "https://*.bibliotheek.nl"]
    assert "https://evil.example" not in sources and "*" not in sources
    assert "x-frame-options" not in response.headers
    # The setting opens the embed only, not the rest of the site.
    assert _frame_ancestors(other_page) == "'none'"
    assert other_page.headers["x-frame-options"] == "DENY"


async def test_a_malformed_setting_cannot_widen_the_policy(settings: Settings) -> None:
    bad = settings.but(frame_ancestors=("*", "https://ok.nl;", "script-src", "https://ok.nl"))
    async with _client(bad) as http:
        await _world()
        response = await http.get("/embed")
    assert _frame_ancestors(response) == "https://ok.nl"
    assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_embed_lists_events_that_open_in_a_new_tab(client: httpx.AsyncClient) -> None:
    await _world()
    html = soup(await client.get("/embed", params={"town": "zutphen"}))
    links = html.select("ul.embed-list a")
    assert [a.get_text(strip=True) for a in links] == ["Spelletjesavond"]
    for link in html.find_all("a"):
        assert link["target"] == "_blank" and link["rel"] == ["noopener"]
    assert links[0]["href"] == "http://127.0.0.1:8000/events/spelletjes"
    assert html.find("script") is None and html.find("header") is None


async def test_embed_by_venue_or_organisation(client: httpx.AsyncClient) -> None:
    await _world()
    venue = soup(await client.get("/embed", params={"venue": "bieb"}))
    assert [a.get_text(strip=True) for a in venue.select("ul.embed-list a")] == ["Verhalenavond"]
    organisation = soup(await client.get("/embed", params={"organisation": "samen"}))
    assert len(organisation.select("ul.embed-list a")) == 2
    assert (await client.get("/embed", params={"venue": "nope"})).status_code == 404


async def test_embed_answers_304(client: httpx.AsyncClient) -> None:
    await _world()
    first = await client.get("/embed", params={"town": "Lochem"})
    again = await client.get(
        "/embed", params={"town": "Lochem"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
