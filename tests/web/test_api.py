"""The JSON API: listing and filters, one event, sign-up and every error answer as JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from events.app import create_app
from events.models import (
    Event,
    EventStatus,
    OutboxMessage,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from events.services.registrations import ACTIVE
from events.settings import Settings
from tests import factories


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org, town="Zutphen", hearing_loop=True)
    return await factories.event(venue, places_young=2, places_older=2, places_open=0)


def year(event: Event, age: int) -> int:
    return event.starts_at.year - age


def person(event: Event, email: str = "anna@example.org", age: int = 20) -> dict[str, object]:
    return {"first_name": "Anna", "email": email, "birth_year": year(event, age)}


async def sign_up(
    client: httpx.AsyncClient, slug: str, body: object, *, lang: str = "nl"
) -> httpx.Response:
    return await client.post(
        f"/api/events/{slug}/registrations", json=body, headers={"Accept-Language": lang}
    )


def error_of(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, object] = response.json()["error"]
    return error


def field_codes(response: httpx.Response) -> dict[str, str]:
    fields = error_of(response)["fields"]
    assert isinstance(fields, dict)
    return {name: value["code"] for name, value in fields.items()}


# --- reading ------------------------------------------------------------------------------


async def test_list_shows_upcoming_public_events_with_filters(
    client: httpx.AsyncClient, event: Event
) -> None:
    org = await factories.organisation()
    elsewhere = await factories.venue(org, town="Lochem")
    later = event.starts_at + timedelta(days=10)
    other = await factories.event(elsewhere, starts_at=later, ends_at=later + timedelta(hours=2))
    cancelled = await factories.event(elsewhere, status=EventStatus.CANCELLED)
    await factories.event(elsewhere, status=EventStatus.DRAFT)
    past = datetime.now(UTC) - timedelta(days=2)
    await factories.event(elsewhere, starts_at=past, ends_at=past + timedelta(hours=2))

    async def slugs(query: str = "") -> list[str]:
        response = await client.get(f"/api/events{query}")
        assert response.status_code == 200
        return [item["slug"] for item in response.json()["events"]]

    assert await slugs() == [event.slug, cancelled.slug, other.slug]
    assert await slugs("?town=lochem") == [cancelled.slug, other.slug]
    assert await slugs(f"?venue={elsewhere.slug}") == [cancelled.slug, other.slug]
    assert await slugs(f"?organisation={org.slug}") == [cancelled.slug, other.slug]
    assert await slugs(f"?from={later.date().isoformat()}") == [other.slug]
    bad = await client.get("/api/events?from=tomorrow")
    assert bad.status_code == 422
    assert field_codes(bad) == {"from": "invalid_date"}


async def test_event_shows_local_times_venue_and_places_left(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_up(client, event.slug, person(event))
    response = await client.get(f"/api/events/{event.slug}")
    assert response.status_code == 200
    data = response.json()
    starts_at = datetime.fromisoformat(data["starts_at"])
    assert starts_at == event.starts_at
    assert starts_at.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert data["status"] == "published"
    assert data["places_left"] == {"young": 1, "older": 2, "open": 0}
    assert data["places"] == {"young": 2, "older": 2, "open": 0}
    assert data["venue"]["town"] == "Zutphen"
    assert data["venue"]["hearing_loop"] is True
    assert data["url"].endswith(f"/events/{event.slug}")
    assert data["ics_url"].endswith(f"/events/{event.slug}/event.ics")
    assert data["schema_org"]["@type"] == "Event"
    assert data["schema_org"]["startDate"] == data["starts_at"]
    listed = (await client.get("/api/events")).json()["events"]
    assert listed == [data]


async def test_drafts_and_unknown_slugs_are_json_404(
    client: httpx.AsyncClient, event: Event
) -> None:
    draft = await factories.event(await event.venue, status=EventStatus.DRAFT)
    for path in (f"/api/events/{draft.slug}", "/api/events/nope", "/api/nothing/here"):
        response = await client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert error_of(response) == {
            "code": "not_found",
            "message": "We could not find this page.",
        }
    posted = await sign_up(client, draft.slug, person(event))
    assert posted.status_code == 404
    assert error_of(posted)["code"] == "not_found"


async def test_wrong_method_is_json_405_with_allow(client: httpx.AsyncClient, event: Event) -> None:
    response = await client.delete(f"/api/events/{event.slug}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert error_of(response)["code"] == "method_not_allowed"
    get = await client.get(f"/api/events/{event.slug}/registrations")
    assert get.status_code == 405
    assert get.headers["allow"] == "POST"


# --- signing up ---------------------------------------------------------------------------


async def test_new_and_repeated_sign_up_answer_alike_and_make_one_place(
    client: httpx.AsyncClient, event: Event
) -> None:
    first = await sign_up(client, event.slug, person(event))
    again = await sign_up(client, event.slug, {**person(event), "email": "ANNA@example.org"})
    assert first.status_code == again.status_code == 202
    assert first.content == again.content
    assert first.json()["status"] == "received"
    assert "code" not in first.text and "confirmed" not in first.text
    active = await Registration.filter(event_id=event.id, status__in=ACTIVE)
    assert len(active) == 1
    assert active[0].source == RegistrationSource.API
    assert active[0].status == RegistrationStatus.CONFIRMED
    kinds = await OutboxMessage.filter(registration_id=active[0].id).values_list("kind", flat=True)
    assert sorted(kinds) == ["confirmation", "existing_ticket"]


async def test_full_group_puts_newcomers_on_the_waiting_list(
    client: httpx.AsyncClient, event: Event
) -> None:
    bodies = [person(event, f"p{n}@example.org") for n in range(4)]
    answers = [await sign_up(client, event.slug, body) for body in bodies]
    assert {a.status_code for a in answers} == {202}
    assert len({a.content for a in answers}) == 1  # the waiting list is told by email only
    rows = await Registration.filter(event_id=event.id).order_by("id")
    assert [r.status for r in rows] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [r.waitlist_number for r in rows[2:]] == [1, 2]
    await event.refresh_from_db()
    assert event.taken_young == 2


async def test_field_errors_have_codes_and_sentences_in_the_request_language(
    client: httpx.AsyncClient, event: Event
) -> None:
    body = {"email": "not-an-email", "birth_year": "19x"}
    english = await sign_up(client, event.slug, body, lang="en")
    dutch = await sign_up(client, event.slug, body, lang="nl")
    assert english.status_code == dutch.status_code == 422
    codes = {"first_name": "required", "email": "email_invalid", "birth_year": "invalid_birth_year"}
    assert field_codes(english) == field_codes(dutch) == codes
    en, nl = error_of(english), error_of(dutch)
    assert en["code"] == nl["code"] == "invalid_input"
    assert en["message"] == "Some fields need your attention."
    assert nl["message"] == "Kijk nog even naar een paar velden."
    assert en["fields"]["email"]["message"] == "Please enter a valid email address."  # type: ignore[index]
    assert nl["fields"]["email"]["message"] != en["fields"]["email"]["message"]  # type: ignore[index]
    assert await Registration.filter(event_id=event.id).count() == 0


async def test_values_of_the_wrong_json_type_are_field_errors(
    client: httpx.AsyncClient, event: Event
) -> None:
    body = {**person(event), "first_name": 7, "birth_year": True, "needs": "quiet"}
    response = await sign_up(client, event.slug, body)
    assert response.status_code == 422
    assert field_codes(response) == {
        "first_name": "wrong_type",
        "birth_year": "wrong_type",
        "needs": "wrong_type",
    }


async def test_too_young_and_no_places_for_age(client: httpx.AsyncClient, event: Event) -> None:
    child = await sign_up(client, event.slug, {**person(event, age=8), "guardian_email": "p@x.nl"})
    assert field_codes(child) == {"birth_year": "too_young"}
    middle = await sign_up(client, event.slug, person(event, age=45))
    assert field_codes(middle) == {"birth_year": "no_places_for_age"}


async def test_under_16_needs_a_guardian_email(client: httpx.AsyncClient, event: Event) -> None:
    teen = person(event, "teen@example.org", age=14)
    missing = await sign_up(client, event.slug, teen)
    assert missing.status_code == 422
    assert field_codes(missing) == {"guardian_email": "required"}
    same = await sign_up(client, event.slug, {**teen, "guardian_email": "teen@example.org"})
    assert field_codes(same) == {"guardian_email": "guardian_same_email"}
    ok = await sign_up(client, event.slug, {**teen, "guardian_email": "ouder@example.org"})
    assert ok.status_code == 202
    registration = await Registration.get(event_id=event.id)
    assert registration.status == RegistrationStatus.AWAITING_GUARDIAN
    assert registration.guardian_email == "ouder@example.org"
    assert await OutboxMessage.filter(kind="guardian_request").count() == 1


async def test_companions_get_places_in_their_own_group(
    client: httpx.AsyncClient, event: Event
) -> None:
    body = {
        **person(event),
        "languages": ["nl", "en", "klingon"],
        "needs": ["quiet"],
        "companions": [{"first_name": "Oma Jet", "birth_year": year(event, 80)}],
    }
    response = await sign_up(client, event.slug, body)
    assert response.status_code == 202
    lead, companion = await Registration.filter(event_id=event.id).order_by("id")
    assert lead.languages == ["nl", "en"] and lead.needs == ["quiet"]
    assert companion.first_name == "Oma Jet"
    assert companion.lead_id == lead.id  # type: ignore[attr-defined]
    assert companion.group.value == "older" and lead.group.value == "young"
    assert companion.email is None


async def test_companion_errors_are_named_by_position(
    client: httpx.AsyncClient, event: Event
) -> None:
    nameless = {**person(event), "companions": [{"birth_year": year(event, 70)}]}
    response = await sign_up(client, event.slug, nameless)
    assert field_codes(response) == {"companions[0].first_name": "required"}
    many = [{"first_name": f"C{n}", "birth_year": year(event, 70)} for n in range(4)]
    too_many = await sign_up(client, event.slug, {**person(event), "companions": many})
    assert field_codes(too_many) == {"companions": "too_many_companions"}
    not_object = await sign_up(client, event.slug, {**person(event), "companions": ["Jet"]})
    assert field_codes(not_object) == {"companions[0]": "wrong_type"}
    young_lead = {
        **person(event, age=15),
        "guardian_email": "ouder@example.org",
        "companions": [{"first_name": "Broertje", "birth_year": year(event, 13)}],
    }
    alone = await sign_up(client, event.slug, young_lead)
    assert field_codes(alone) == {"companions[0].birth_year": "companion_needs_adult"}
    assert "Broertje" in error_of(alone)["fields"]["companions[0].birth_year"]["message"]  # type: ignore[index]
    assert await Registration.filter(event_id=event.id).count() == 0


async def test_a_grandchild_too_young_is_told_on_the_grandchild_not_the_grandparent(
    client: httpx.AsyncClient, event: Event
) -> None:
    body = {
        **person(event, "oma@example.org", age=72),
        "companions": [
            {"first_name": "Jet", "birth_year": year(event, 75)},
            {"first_name": "Kleine Bo", "birth_year": year(event, 8)},
        ],
    }
    response = await sign_up(client, event.slug, body)
    assert response.status_code == 422
    assert field_codes(response) == {"companions[1].birth_year": "too_young"}
    message = error_of(response)["fields"]["companions[1].birth_year"]["message"]  # type: ignore[index]
    assert "Kleine Bo" in message
    assert await Registration.filter(event_id=event.id).count() == 0


# --- refusals -----------------------------------------------------------------------------


async def test_body_must_be_a_json_object(client: httpx.AsyncClient, event: Event) -> None:
    path = f"/api/events/{event.slug}/registrations"
    form = await client.post(path, data={"first_name": "Anna"})
    assert form.status_code == 415
    assert error_of(form)["code"] == "unsupported_media_type"
    json_headers = {"Content-Type": "application/json"}
    broken = await client.post(path, content=b'{"first_name": ', headers=json_headers)
    assert broken.status_code == 400
    assert error_of(broken)["code"] == "invalid_json"
    array = await client.post(path, json=[person(event)])
    assert array.status_code == 400
    assert error_of(array)["code"] == "invalid_json"
    huge = await client.post(path, json={**person(event), "pad": "x" * 70_000})
    assert huge.status_code == 413
    assert error_of(huge)["code"] == "too_large"
    assert await Registration.filter(event_id=event.id).count() == 0


async def test_cancelled_and_past_events_refuse_with_409(
    client: httpx.AsyncClient, event: Event
) -> None:
    event.status = EventStatus.CANCELLED
    await event.save()
    cancelled = await sign_up(client, event.slug, person(event))
    assert cancelled.status_code == 409
    assert error_of(cancelled)["code"] == "event_not_open"
    past = datetime.now(UTC) - timedelta(hours=3)
    over = await factories.event(
        await event.venue, starts_at=past, ends_at=past + timedelta(hours=1)
    )
    answer = await sign_up(client, over.slug, person(event), lang="en")
    assert answer.status_code == 409
    assert error_of(answer) == {"code": "event_over", "message": "This activity is already over."}


@pytest.fixture
async def limited_client(settings: Settings, db: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.but(signup_rate_limit=3))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_sign_ups_past_the_limit_get_429_with_retry_after(
    limited_client: httpx.AsyncClient, event: Event
) -> None:
    for n in range(3):
        answer = await sign_up(limited_client, event.slug, person(event, f"p{n}@example.org"))
        assert answer.status_code == 202
    refused = await sign_up(limited_client, event.slug, person(event, "p9@example.org"), lang="en")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert error_of(refused)["code"] == "rate_limited"
    assert "try again in about 60 minutes" in str(error_of(refused)["message"])
    assert await Registration.filter(event_id=event.id).count() == 3
    assert (await limited_client.get(f"/api/events/{event.slug}")).status_code == 200
