"""Public listings come a page (50 activities) at a time: a link to the next and previous
page, ``?page=N`` (anything odd is page 1), and a home page with 5,000 upcoming activities
sends as many statements as one with 60."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from events.models import Event, EventStatus, Venue
from tests import factories
from tests.web.helpers import soup
from tests.web.test_door_statements import statements


async def _many(venue: Venue, n: int) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    await Event.bulk_create(
        [
            Event(
                venue_id=venue.id,
                organisation_id=venue.organisation_id,
                slug=f"act-{venue.id}-{i}",
                title=f"Activiteit {i:05d}",
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i, minutes=90),
                status=EventStatus.PUBLISHED,
                places_young=10,
                places_older=10,
                places_open=0,
            )
            for i in range(n)
        ],
        batch_size=500,
    )


def _cards(page: httpx.Response) -> list[str]:
    return [str(a["href"]) for a in soup(page).select("a.card-link")]


def _pager(page: httpx.Response, rel: str) -> str | None:
    link = soup(page).select_one(f'nav.pager a[rel="{rel}"]')
    return None if link is None else str(link["href"])


async def test_home_pages_through_120_activities(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation(), slug="zaal")
    await _many(venue, 120)
    first = await client.get("/")
    assert first.status_code == 200
    assert len(_cards(first)) == 50
    assert _cards(first)[0] == f"/events/act-{venue.id}-0"
    assert _pager(first, "prev") is None
    assert _pager(first, "next") == "/?page=2"
    second = await client.get("/?page=2")
    assert _cards(second)[0] == f"/events/act-{venue.id}-50"
    assert _pager(second, "prev") == "/" and _pager(second, "next") == "/?page=3"
    third = await client.get("/", params={"page": "3"})
    assert len(_cards(third)) == 20
    assert _pager(third, "next") is None and _pager(third, "prev") == "/?page=2"
    assert _cards(third)[-1] == f"/events/act-{venue.id}-119"


async def test_paging_keeps_the_filters(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation(), slug="zaal", town="Lochem")
    await _many(venue, 60)
    first = await client.get("/", params={"town": "Lochem"})
    assert _pager(first, "next") == "/?town=Lochem&page=2"
    second = await client.get(_pager(first, "next") or "")
    assert len(_cards(second)) == 10
    assert _pager(second, "prev") == "/?town=Lochem"


async def test_venue_page_pages_too(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation(), slug="zaal")
    await _many(venue, 70)
    first = await client.get("/venues/zaal")
    assert len(_cards(first)) == 50 and _pager(first, "next") == "/venues/zaal?page=2"
    second = await client.get("/venues/zaal?page=2")
    assert len(_cards(second)) == 20 and _pager(second, "prev") == "/venues/zaal"


async def test_odd_page_numbers_are_page_one(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation(), slug="zaal")
    await _many(venue, 60)
    first = _cards(await client.get("/"))
    for odd in ("0", "-1", "x", "", "1e3", "99999999999999999999", "٣", "2.5"):
        page = await client.get("/", params={"page": odd})
        assert page.status_code == 200, odd
        assert _cards(page) == first, odd
    beyond = await client.get("/?page=400")
    assert beyond.status_code == 200 and _cards(beyond) == []
    assert _pager(beyond, "prev") == "/?page=399"


async def test_pages_have_their_own_etag(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation(), slug="zaal")
    await _many(venue, 60)
    first, second = await client.get("/"), await client.get("/?page=2")
    assert first.headers["etag"] != second.headers["etag"]
    again = await client.get("/?page=2", headers={"If-None-Match": second.headers["etag"]})
    assert again.status_code == 304


async def _home_statements(client: httpx.AsyncClient) -> int:
    await client.get("/?page=2")  # warm up
    with statements() as seen:
        page = await client.get("/?page=2")
    assert page.status_code == 200
    return len(seen)


async def test_5000_activities_cost_the_statements_of_60(client: httpx.AsyncClient) -> None:
    small = await factories.venue(await factories.organisation(), slug="klein")
    await _many(small, 60)
    with_60 = await _home_statements(client)
    big = await factories.venue(await factories.organisation(), slug="groot")
    await _many(big, 4940)
    with_5000 = await _home_statements(client)
    assert with_5000 == with_60
    with statements() as seen:
        cached = await client.get("/", headers={"If-None-Match": '"nothing"'})
    assert cached.status_code == 200 and len(_cards(cached)) == 50
    assert len(seen) == with_60
