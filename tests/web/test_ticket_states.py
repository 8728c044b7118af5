"""Every ticket tells the truth (issue 10, point 1): the ticket, the event page, the API
and the private feed of a cancelled activity, one that is over or has begun, and a place
that waits for a guardian's yes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import icalendar
import pytest

from events.models import Event, EventStatus, Registration, RegistrationStatus
from events.services import events as event_service
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, soup

YEAR = datetime.now(UTC).year


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation(slug="samen")
    org.email, org.contact_name, org.contact_phone = "inge@samen.example", "Inge", "0575 123 456"
    await org.save()
    venue = await factories.venue(org)
    return await factories.event(venue, slug="avond", places_young=5, places_older=5)


async def sign_up(event: Event, settings: Settings, **fields: object) -> Registration:
    request = reg.SignupRequest(
        first_name=str(fields.pop("first_name", "Ana")),
        email=str(fields.pop("email", "ana@example.org")),
        birth_year=int(fields.pop("birth_year", YEAR - 20)),  # type: ignore[call-overload]
        **fields,  # type: ignore[arg-type]
    )
    outcome = await reg.sign_up(event.id, request, settings=settings)
    assert outcome.lead is not None
    return outcome.lead


async def move(event: Event, *, days: float) -> None:
    """Shift the event so that it starts ``days`` from now (negative: in the past)."""
    start = datetime.now(UTC) + timedelta(days=days)
    await Event.filter(id=event.id).update(starts_at=start, ends_at=start + timedelta(hours=2))


async def feed_of(client: httpx.AsyncClient, registration: Registration) -> icalendar.Calendar:
    await registration.fetch_related("person")
    assert registration.person is not None
    response = await client.get(f"/feeds/{registration.person.feed_token}.ics")
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


async def test_cancelled_activity_says_so_first_with_its_reason(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    ana = await sign_up(event, settings)
    staff = await factories.organiser_actor(await event.organisation)
    await event_service.cancel_event(staff, event, settings=settings, reason="De zaal is dicht.")

    html = soup(await client.get(f"/tickets/{ana.code}"))
    first = html.select_one("article.ticket > *")
    assert first is not None and "status-cancelled" in first["class"]
    assert "afgelast" in first.text and "De zaal is dicht." in first.text
    assert "bevestigd" not in html.select_one("article.ticket").text
    assert not html.select_one(".qr-code") and not html.select_one(".cancel-form")
    assert not html.find("a", href=f"/tickets/{ana.code}/print")
    assert "inge@samen.example" in html.text  # someone to ask

    page = soup(await client.get("/events/avond"))
    assert "De zaal is dicht." in page.select_one(".notice-cancelled").text
    assert not page.select_one(".places") and "Vol?" not in page.text
    assert not page.select_one("form[action='/events/avond/signup']")

    api = (await client.get("/api/events/avond")).json()
    assert api["status"] == "cancelled" and api["open_for_signup"] is False
    assert set(api["places_left"].values()) == {0}

    [vevent] = (await feed_of(client, ana)).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED" and "De zaal is dicht." in str(vevent["DESCRIPTION"])

    refused = await post_form(
        client, f"/tickets/{ana.code}/cancel", {"confirm": "yes"}, form_page="/login"
    )
    assert refused.status_code == 409
    assert (await Registration.get(id=ana.id)).status == RegistrationStatus.CONFIRMED


async def test_an_activity_that_is_over_offers_nothing(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    ana = await sign_up(event, settings)
    await sign_up(event, settings, first_name="Bo", email="bo@example.org")
    await move(event, days=-2)

    html = soup(await client.get(f"/tickets/{ana.code}"))
    assert "status-over" in html.select_one("article.ticket > *")["class"]
    assert "afgelopen" in html.select_one(".ticket-status").text
    assert not html.select_one(".qr-code") and not html.select_one(".cancel-form")
    assert not html.find("a", href=f"/tickets/{ana.code}/print")

    page = soup(await client.get("/events/avond"))
    assert "afgelopen" in page.select_one(".notice-over").text
    assert not page.select_one(".places") and "Vol?" not in page.text
    api = (await client.get("/api/events/avond")).json()
    assert api["open_for_signup"] is False and set(api["places_left"].values()) == {0}

    refused = await post_form(
        client, f"/tickets/{ana.code}/cancel", {"confirm": "yes"}, form_page="/login"
    )
    assert refused.status_code == 409
    assert (await Registration.get(id=ana.id)).status == RegistrationStatus.CONFIRMED


async def test_after_the_start_the_qr_stays_but_cancelling_is_over(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    ana = await sign_up(event, settings)
    await move(event, days=-1 / 48)  # began half an hour ago
    html = soup(await client.get(f"/tickets/{ana.code}"))
    assert html.select_one(".qr-code svg")  # late arrivals still show it at the door
    assert not html.select_one(".cancel-form")
    assert "begonnen" in html.text
    refused = await post_form(
        client, f"/tickets/{ana.code}/cancel", {"confirm": "yes"}, form_page="/login"
    )
    assert refused.status_code == 409 and "begonnen" in soup(refused).select_one(".notice").text
    assert (await Registration.get(id=ana.id)).status == RegistrationStatus.CONFIRMED


async def test_a_place_awaiting_a_guardian_says_what_is_missing(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    kid = await sign_up(
        event, settings, first_name="Sam", email="sam@example.org",
        birth_year=event.starts_at.year - 14, guardian_email="mama@example.org",
    )  # fmt: skip
    assert kid.status == RegistrationStatus.AWAITING_GUARDIAN
    html = soup(await client.get(f"/tickets/{kid.code}"))
    missing = html.select_one(".missing")
    assert missing is not None and "m***@example.org" in missing.text
    assert "ouder" in missing.text.lower()
    assert "bevestigd" not in html.select_one(".ticket-status").text
    assert not html.find("a", href=f"/tickets/{kid.code}/print")
    assert not html.select_one(".qr-code")

    [vevent] = (await feed_of(client, kid)).walk("VEVENT")
    assert vevent["STATUS"] == "TENTATIVE"
    await reg.give_consent(str(kid.guardian_token), settings=settings)
    [vevent] = (await feed_of(client, kid)).walk("VEVENT")
    assert vevent["STATUS"] == "CONFIRMED"


async def test_a_cancelled_event_is_never_shown_as_open_in_the_api_list(
    client: httpx.AsyncClient, event: Event
) -> None:
    await Event.filter(id=event.id).update(status=EventStatus.CANCELLED)
    [listed] = (await client.get("/api/events")).json()["events"]
    assert listed["status"] == "cancelled" and set(listed["places_left"].values()) == {0}
