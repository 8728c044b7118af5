"""Series: an organiser creates a weekly or fortnightly run; each date is its own event."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import httpx
import pytest

from events.models import Event, EventStatus, Series, Venue
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

AMS = ZoneInfo("Europe/Amsterdam")
NEW = "/organise/series/new"


@pytest.fixture
async def venue(client: httpx.AsyncClient) -> Venue:
    org = await factories.organisation(slug="samen")
    place = await factories.venue(org, slug="zwaan")
    await factories.organiser(org, email="inge@example.org")
    await sign_in(client, "inge@example.org")
    return place


def _form(place: Venue, **changes: str) -> dict[str, str]:
    # Saturdays around the change to summer time (last Sunday of March 2027).
    form = {
        "title": "Spelletjesavond", "venue": str(place.id), "date": "2027-03-20",
        "start_time": "19:30", "end_time": "21:30", "frequency": "weekly",
        "occurrences": "4", "places_young": "6", "places_older": "6", "places_open": "0",
        "phone_rules": "Telefoon in het zakje.",
    }  # fmt: skip
    form.update(changes)
    return form


async def test_weekly_series_keeps_local_time_across_dst(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    response = await post_form(client, NEW, _form(venue, publish="1"), form_page=NEW)
    assert response.status_code == 303
    series = await Series.get(title="Spelletjesavond")
    assert response.headers["location"] == f"/organise/series/{series.id}"
    events = await Event.filter(series_id=series.id).order_by("starts_at")
    assert [e.starts_at.astimezone(AMS).date() for e in events] == [
        date(2027, 3, 20), date(2027, 3, 27), date(2027, 4, 3), date(2027, 4, 10)
    ]  # fmt: skip
    assert {e.starts_at.astimezone(AMS).strftime("%H:%M") for e in events} == {"19:30"}
    assert [e.starts_at.astimezone(AMS).utcoffset() for e in events] == [
        timedelta(hours=1), timedelta(hours=1), timedelta(hours=2), timedelta(hours=2)
    ]  # fmt: skip
    assert len({e.slug for e in events}) == 4
    assert {e.status for e in events} == {EventStatus.PUBLISHED}
    assert {e.places_young for e in events} == {6}

    page = await client.get(response.headers["location"])
    html = soup(page)
    for event in events:
        assert html.find("a", href=f"/organise/events/{event.id}/edit") is not None
        assert html.find("a", href=f"/organise/events/{event.id}") is not None


async def test_fortnightly_drafts(client: httpx.AsyncClient, venue: Venue) -> None:
    form = _form(venue, frequency="fortnightly", occurrences="3")
    assert (await post_form(client, NEW, form, form_page=NEW)).status_code == 303
    events = await Event.filter(series__title="Spelletjesavond").order_by("starts_at")
    days = [e.starts_at.astimezone(AMS).date() for e in events]
    gaps = [(b - a).days for a, b in pairwise(days)]
    assert gaps == [14, 14]
    assert {e.status for e in events} == {EventStatus.DRAFT}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurrences": "1"}, "occurrences"),
        ({"occurrences": "200"}, "occurrences"),
        ({"frequency": "daily"}, "frequency"),
        ({"venue": ""}, "venue"),
        ({"date": "2020-01-01"}, "date"),
        ({"end_time": "18:00"}, "end_time"),
    ],
)
async def test_invalid_series_creates_nothing(
    client: httpx.AsyncClient, venue: Venue, changes: dict[str, str], field: str
) -> None:
    response = await post_form(client, NEW, _form(venue, **changes), form_page=NEW)
    assert response.status_code == 422
    assert soup(response).find(id=f"f-{field}")["aria-invalid"] == "true"
    assert await Event.all().count() == 0 and await Series.all().count() == 0


async def test_one_date_can_be_cancelled_alone(client: httpx.AsyncClient, venue: Venue) -> None:
    await post_form(client, NEW, _form(venue, publish="1"), form_page=NEW)
    first, *rest = await Event.all().order_by("starts_at")
    cancel = f"/organise/events/{first.id}/cancel"
    confirm = {"confirm": "yes"}
    assert (await post_form(client, cancel, confirm, form_page="/organise/")).status_code == 303
    assert (await Event.get(id=first.id)).status == EventStatus.CANCELLED
    assert {e.status for e in await Event.filter(id__in=[e.id for e in rest])} == {
        EventStatus.PUBLISHED
    }


async def test_other_organisations_cannot_see_a_series(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    await post_form(client, NEW, _form(venue), form_page=NEW)
    series = await Series.get(title="Spelletjesavond")
    other = await factories.organisation(slug="anders")
    await factories.organiser(other, email="piet@example.org")
    await client.post("/logout", data={"csrf_token": ""})
    client.cookies.clear()
    await sign_in(client, "piet@example.org")
    assert (await client.get(f"/organise/series/{series.id}")).status_code == 404
    assert (await client.get("/organise/series/nope")).status_code == 404


async def test_dashboard_links_to_new_series(client: httpx.AsyncClient, venue: Venue) -> None:
    html = soup(await client.get("/organise/"))
    assert html.find("a", href=NEW) is not None
