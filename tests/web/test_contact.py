"""A person to reach (issue 10, point 2): the organisation's contact is edited by its own
organisers and shown on the event page, the ticket, the consent page and the privacy
statement; every mail replies to it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from events.models import Event, Organisation, OutboxMessage, Registration
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

YEAR = datetime.now(UTC).year


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation(slug="samen", name="Stichting Samen")
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    await factories.host(org, [venue], email="fatima@example.org")
    return await factories.event(venue, slug="avond")


async def save_contact(client: httpx.AsyncClient, **values: str) -> httpx.Response:
    return await post_form(
        client, "/organise/organisation", values, form_page="/organise/organisation"
    )


async def test_organiser_sets_the_contact_and_everyone_sees_it(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    await sign_in(client, "inge@example.org")
    detail = soup(await client.get(f"/organise/events/{event.id}"))
    assert detail.find("a", href="/organise/organisation")  # a nudge: no contact yet
    saved = await save_contact(
        client, email="Vragen@Samen.example", contact_phone="0575 123 456", contact_name="Inge"
    )
    assert saved.status_code == 303
    org = await Organisation.get(slug="samen")
    assert (org.email, org.contact_phone, org.contact_name) == (
        "vragen@samen.example", "0575 123 456", "Inge",
    )  # fmt: skip

    page = soup(await client.get("/events/avond"))
    contact = page.select_one(".event-facts .contact")
    assert contact is not None and "Inge" in contact.text
    assert page.find("a", href="mailto:vragen@samen.example")
    assert page.find("a", href="tel:0575123456")

    request = reg.SignupRequest(
        first_name="Sam", email="sam@example.org", birth_year=event.starts_at.year - 14,
        guardian_email="mama@example.org",
    )  # fmt: skip
    outcome = await reg.sign_up(event.id, request, settings=settings)
    sam = outcome.lead
    assert sam is not None
    ticket = soup(await client.get(f"/tickets/{sam.code}"))
    assert "0575 123 456" in ticket.select_one(".contact").text
    consent = soup(await client.get(f"/consent/{sam.guardian_token}"))
    assert "vragen@samen.example" in consent.select_one(".contact").text

    privacy = soup(await client.get("/privacy"))
    responsible = privacy.select_one(".responsible")
    assert "Stichting Samen" in responsible.text and "vragen@samen.example" in responsible.text
    assert "180 dagen" in privacy.select_one(".retention").text

    mails = await OutboxMessage.filter(registration_id=sam.id)
    assert mails and {m.reply_to for m in mails} == {"vragen@samen.example"}
    assert all("Inge" in m.text_body and "0575 123 456" in m.text_body for m in mails)


async def test_contact_form_checks_its_fields(client: httpx.AsyncClient, event: Event) -> None:
    await sign_in(client, "inge@example.org")
    bad = await save_contact(client, email="nope", contact_phone="bel me")
    assert bad.status_code == 422
    html = soup(bad)
    assert html.find(id="f-email")["aria-invalid"] == "true"
    assert "telefoonnummer" in html.find(id="f-contact_phone-error").text
    empty = await save_contact(client, email="")
    assert empty.status_code == 422
    assert (await Organisation.get(slug="samen")).email == ""


async def test_hosts_and_strangers_cannot_change_the_contact(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "fatima@example.org")
    assert (await client.get("/organise/organisation")).status_code == 404
    assert (await Registration.all().count()) == 0
