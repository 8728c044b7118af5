"""Organiser pages: create, validate, publish, cancel and copy events; venues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from events.models import Event, EventStatus, Venue
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def organiser(client: httpx.AsyncClient) -> Venue:
    org = await factories.organisation(slug="samen")
    venue = await factories.venue(org, slug="zwaan")
    await factories.organiser(org, email="inge@example.org")
    await sign_in(client, "inge@example.org")
    return venue


def _event_form(place: Venue, **changes: str) -> dict[str, str]:
    day = (datetime.now(AMS) + timedelta(days=10)).date().isoformat()
    form = {
        "title": "Verhalentafel",
        "venue": str(place.id),
        "date": day,
        "start_time": "19:30",
        "end_time": "21:30",
        "places_young": "8",
        "places_older": "8",
        "places_open": "0",
        "young_min_age": "12",
        "young_max_age": "30",
        "older_min_age": "65",
        "table_size": "4",
        "table_rounds": "2",
        "phone_rules": "Telefoon in het zakje.",
    }
    form.update(changes)
    return form


def _errors(response: httpx.Response) -> dict[str, str]:
    """Field name -> the error text shown next to that field."""
    found = {}
    for error in soup(response).select(".field .error"):
        field_id = str(error["id"]).removeprefix("f-").removesuffix("-error")
        found[field_id] = error.get_text(strip=True).lstrip("⚠ ")
    return found


async def test_create_publish_and_show_an_event(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    response = await post_form(
        client, "/organise/events/new", _event_form(organiser), form_page="/organise/events/new"
    )
    assert response.status_code == 303
    event = await Event.get(title="Verhalentafel")
    assert event.status == EventStatus.DRAFT
    assert event.starts_at.astimezone(AMS).strftime("%H:%M") == "19:30"
    assert event.starts_at.utcoffset() == timedelta(0)
    assert (await client.get(f"/events/{event.slug}")).status_code == 404
    await post_form(client, f"/organise/events/{event.id}/publish", {}, form_page="/organise/")
    assert (await client.get(f"/events/{event.slug}")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": "18:00"}, "end_time"),
        ({"date": "2020-01-01"}, "date"),
        ({"places_young": "0", "places_older": "0", "places_open": "0"}, "places_young"),
        ({"title": ""}, "title"),
        ({"date": "31-12-2030"}, "date"),
        ({"start_time": "half acht"}, "start_time"),
        ({"places_young": "veel"}, "places_young"),
        ({"places_young": "-3"}, "places_young"),
        ({"venue": "abc"}, "venue"),
        ({"venue": "99999"}, "venue"),
        ({"slug": "Not A Slug!"}, "slug"),
        ({"young_max_age": "70"}, "young_max_age"),
        ({"table_size": "1", "has_tables": "1"}, "table_size"),
    ],
)
async def test_bad_input_shows_an_error_next_to_the_field(
    client: httpx.AsyncClient, organiser: Venue, changes: dict[str, str], field: str
) -> None:
    response = await post_form(
        client,
        "/organise/events/new",
        _event_form(organiser, **changes),
        form_page="/organise/events/new",
    )
    assert response.status_code == 422
    errors = _errors(response)
    assert field in errors, errors
    assert soup(response).find(id=f"f-{field}")["aria-invalid"] == "true"
    assert await Event.all().count() == 0
    # What was typed is kept.
    assert soup(response).find(id="f-title")["value"] == _event_form(organiser, **changes)["title"]


async def test_error_messages_follow_the_language(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    form = _event_form(organiser, end_time="18:00")
    dutch = _errors(
        await post_form(client, "/organise/events/new", form, form_page="/organise/events/new")
    )
    client.cookies.set("lang", "en")
    english = _errors(
        await post_form(client, "/organise/events/new", form, form_page="/organise/events/new")
    )
    assert english["end_time"] == "The end must be after the start."
    assert dutch["end_time"] != english["end_time"]


async def test_slug_must_be_unique(client: httpx.AsyncClient, organiser: Venue) -> None:
    form = _event_form(organiser, slug="mijn-avond")
    first = await post_form(client, "/organise/events/new", form, form_page="/organise/")
    assert first.status_code == 303
    second = await post_form(client, "/organise/events/new", form, form_page="/organise/")
    assert second.status_code == 422 and "slug" in _errors(second)


async def test_cancel_keeps_the_event_visible_as_cancelled(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    event = await factories.event(organiser, slug="avond")
    before = event.sequence
    asked = await post_form(
        client, f"/organise/events/{event.id}/cancel", {}, form_page="/organise/"
    )
    assert asked.status_code == 200 and soup(asked).find("input", attrs={"name": "confirm"})
    await event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED  # asking changed nothing
    response = await post_form(
        client, f"/organise/events/{event.id}/cancel", {"confirm": "yes"}, form_page="/organise/"
    )
    assert response.status_code == 303
    await event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.sequence == before + 1
    page = await client.get("/events/avond")
    assert page.status_code == 200 and soup(page).select_one(".notice-cancelled")


async def test_copy_to_a_later_date_keeps_local_times_across_dst(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    start = datetime(2030, 3, 20, 19, 30, tzinfo=AMS)  # winter time (UTC+1)
    event = await factories.event(
        organiser,
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(hours=2)).astimezone(UTC),
    )
    response = await post_form(
        client, f"/organise/events/{event.id}/copy", {"date": "2030-04-03"}, form_page="/organise/"
    )
    assert response.status_code == 303
    copy = await Event.exclude(id=event.id).get()
    local = copy.starts_at.astimezone(AMS)
    assert (local.date().isoformat(), f"{local:%H:%M}") == ("2030-04-03", "19:30")
    assert copy.starts_at.utcoffset() == timedelta(0)
    assert copy.status == EventStatus.DRAFT and copy.places_young == event.places_young
    bad = await post_form(
        client, f"/organise/events/{event.id}/copy", {"date": "2030-03-01"}, form_page="/organise/"
    )
    assert bad.status_code == 422
    garbage = await post_form(
        client, f"/organise/events/{event.id}/copy", {"date": "soon"}, form_page="/organise/"
    )
    assert garbage.status_code == 422
    assert await Event.all().count() == 2


async def test_edit_changes_sequence_only_for_time_or_place(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    event = await factories.event(organiser)
    local = event.starts_at.astimezone(AMS)
    form = _event_form(
        organiser,
        date=local.date().isoformat(),
        start_time=f"{local:%H:%M}",
        end_time=f"{event.ends_at.astimezone(AMS):%H:%M}",
        slug=event.slug,
        title="New title",
    )
    await post_form(client, f"/organise/events/{event.id}/edit", form, form_page="/organise/")
    await event.refresh_from_db()
    assert event.title == "New title" and event.sequence == 0
    form.update(start_time="18:00", end_time="23:00")
    response = await post_form(
        client, f"/organise/events/{event.id}/edit", form, form_page="/organise/"
    )
    assert response.status_code == 303
    await event.refresh_from_db()
    assert event.sequence == 1


async def test_venue_create_and_validation(client: httpx.AsyncClient, organiser: Venue) -> None:
    bad = await post_form(
        client,
        "/organise/venues/new",
        {
            "name": "Bieb",
            "address": "Markt 1",
            "postcode": "12345",
            "town": "Lochem",
            "capacity": "lots",
        },
        form_page="/organise/venues/new",
    )
    assert bad.status_code == 422
    assert {"postcode", "capacity"} <= set(_errors(bad))
    good = await post_form(
        client,
        "/organise/venues/new",
        {
            "name": "Bieb Lochem",
            "address": "Markt 1",
            "postcode": "7241ab",
            "town": "Lochem",
            "kind": "library",
            "hearing_loop": "1",
        },
        form_page="/organise/venues/new",
    )
    assert good.status_code == 303
    venue = await Venue.get(name="Bieb Lochem")
    assert venue.postcode == "7241 AB" and venue.hearing_loop and venue.slug == "bieb-lochem-lochem"


async def test_unknown_action_is_404(client: httpx.AsyncClient, organiser: Venue) -> None:
    event = await factories.event(organiser)
    response = await post_form(
        client, f"/organise/events/{event.id}/explode", {}, form_page="/organise/"
    )
    assert response.status_code == 404


async def test_table_fields_do_not_block_an_event_without_tables(
    client: httpx.AsyncClient, organiser: Venue
) -> None:
    response = await post_form(
        client,
        "/organise/events/new",
        _event_form(organiser, table_size="20"),
        form_page="/organise/events/new",
    )
    assert response.status_code == 303
    assert (await Event.get(title="Verhalentafel")).table_size == 4
    too_big = await post_form(
        client,
        "/organise/events/new",
        _event_form(organiser, table_size="20", has_tables="1"),
        form_page="/organise/events/new",
    )
    assert _errors(too_big)["table_size"] in (
        "Kies 2 tot 8 mensen per tafel.",
        "Choose 2 to 8 people per table.",
    )
