"""The volunteer parts reach the public pages: an activity shows its open tasks, and a
venue shows its last check by people with lived experience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from events.models import TaskKind, VenueCheck, VolunteerTask
from tests import factories
from tests.web.helpers import soup


async def test_the_activity_page_lists_open_tasks_with_i_will_help(
    client: httpx.AsyncClient, app: object
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    task = await VolunteerTask.create(
        event=event, kind=TaskKind.COFFEE, starts_at=event.starts_at - timedelta(minutes=30),
        ends_at=event.ends_at, description="Koffie en thee zetten.", needed=2,
    )  # fmt: skip
    page = soup(await client.get(f"/events/{event.slug}"))
    links = {a["href"] for a in page.select("a[href]")}
    assert f"/events/{event.slug}/help/{task.id}" in links
    assert page.find(id="help-title") is not None


async def test_the_venue_page_says_when_people_with_experience_checked_it(
    client: httpx.AsyncClient, app: object
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.event(venue)
    checked = datetime(2027, 3, 12, 14, 0, tzinfo=UTC)
    await VenueCheck.create(
        venue=venue,
        answers={"step_free_route": "yes"},
        completed_at=min(checked, datetime.now(UTC)),
    )
    page = soup(await client.get(f"/venues/{venue.slug}"))
    heading = page.find(id="checked-title")
    assert heading is not None and "Gecontroleerd door ervaringsdeskundigen" in heading.text
