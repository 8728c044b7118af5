"""Statements per public page (issue 14, point 1): the event page reads its event, venue
and organisation in one statement and asks for volunteer tasks only when the event has some;
the home page reads its listing with venues and organisations in one."""

from __future__ import annotations

import httpx

from events.models import TaskKind, VolunteerTask
from tests import factories
from tests.web.test_door_statements import statements, table


async def _count(client: httpx.AsyncClient, path: str) -> list[str]:
    await client.get(path)  # warm up (templates, paths)
    with statements() as seen:
        page = await client.get(path)
    assert page.status_code == 200
    return [table(sql) for sql in seen]


async def test_event_page_without_tasks(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation())
    event = await factories.event(venue, slug="avond")
    found = await _count(client, f"/events/{event.slug}")
    # Before: event, venue, organisation, volunteer_task x2, volunteer_shift x2 (7).
    assert found == ["event", "volunteer_task", "volunteer_shift"]


async def test_event_page_with_a_task(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation())
    event = await factories.event(venue, slug="avond")
    await VolunteerTask.create(
        event=event,
        kind=TaskKind.SETUP,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        needed=2,
    )
    found = await _count(client, f"/events/{event.slug}")
    assert found[0] == "event" and "venue" not in found and "organisation" not in found
    assert len(found) <= 6, found


async def test_event_page_answered_304(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation())
    await factories.event(venue, slug="avond")
    page = await client.get("/events/avond")
    with statements() as seen:
        again = await client.get("/events/avond", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304
    assert [table(sql) for sql in seen] == ["event", "volunteer_task", "volunteer_shift"]


async def test_home_page_statements(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    for town in ("Lochem", "Zutphen"):
        venue = await factories.venue(org, town=town)
        for _ in range(3):
            await factories.event(venue)
    found = await _count(client, "/")
    # Before: event x7, venue x2, organisation (10).
    # Now: the validator (one aggregate), the page (one), towns and venues (one each).
    assert len(found) == 4, found  # before: 10


async def test_home_page_answered_304(client: httpx.AsyncClient) -> None:
    await factories.event(await factories.venue(await factories.organisation()))
    page = await client.get("/")
    with statements() as seen:
        again = await client.get("/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and len(seen) == 1


async def test_a_feed_answered_304_costs_one_statement(client: httpx.AsyncClient) -> None:
    venue = await factories.venue(await factories.organisation())
    for _ in range(3):
        await factories.event(venue)
    feed = await client.get("/calendar.ics")
    with statements() as seen:
        again = await client.get("/calendar.ics", headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304 and len(seen) == 1, seen  # before: 4
