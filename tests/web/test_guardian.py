"""Guardian consent can be mended (issue 10, point 6): the participant corrects a mistyped
guardian address and sends the request again from the ticket (a few times at most), and
the guardian declines as plainly as they agree."""

from __future__ import annotations

import httpx
import pytest

from events.models import Event, OutboxMessage, Registration, RegistrationStatus
from events.services import registrations as reg
from events.services.registrations.guardian import MAX_GUARDIAN_REQUESTS
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, soup


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    return await factories.event(venue, slug="avond", places_young=1, places_older=5)


@pytest.fixture
async def sam(event: Event, settings: Settings) -> Registration:
    request = reg.SignupRequest(
        first_name="Sam", email="sam@example.org", birth_year=event.starts_at.year - 14,
        guardian_email="mama@exmaple.org",
    )  # fmt: skip
    outcome = await reg.sign_up(event.id, request, settings=settings)
    assert outcome.lead is not None and outcome.lead.status == RegistrationStatus.AWAITING_GUARDIAN
    return outcome.lead


async def resend(client: httpx.AsyncClient, code: str, address: str) -> httpx.Response:
    return await post_form(
        client, f"/tickets/{code}/guardian", {"guardian_email": address}, form_page="/login"
    )


async def test_the_participant_corrects_the_address_and_sends_again(
    client: httpx.AsyncClient, sam: Registration
) -> None:
    ticket = soup(await client.get(f"/tickets/{sam.code}"))
    field = ticket.find("input", attrs={"name": "guardian_email"})
    assert field is not None and field["value"] == "mama@exmaple.org"  # to correct in place
    old_token = sam.guardian_token

    sent = await resend(client, sam.code, "mama@example.org")
    assert sent.status_code == 303
    await sam.refresh_from_db()
    assert sam.guardian_email == "mama@example.org" and sam.guardian_requests == 2
    assert sam.guardian_token != old_token  # the mistyped address can no longer say yes
    assert (await client.get(f"/consent/{old_token}")).status_code == 404
    [request] = await OutboxMessage.filter(kind="guardian_request", to_email="mama@example.org")
    assert str(sam.guardian_token) in request.text_body
    shown = soup(await client.get(f"/tickets/{sam.code}?sent=1"))
    assert "m***@example.org" in shown.select_one(".missing").text

    for _ in range(MAX_GUARDIAN_REQUESTS - 2):
        assert (await resend(client, sam.code, "mama@example.org")).status_code == 303
    refused = await resend(client, sam.code, "papa@example.org")
    assert refused.status_code == 409
    assert soup(refused).select_one(".notice-error")
    await sam.refresh_from_db()
    assert sam.guardian_email == "mama@example.org"
    assert sam.guardian_requests == MAX_GUARDIAN_REQUESTS
    page = soup(await client.get(f"/tickets/{sam.code}"))
    assert not page.find("input", attrs={"name": "guardian_email"})  # no more tries offered


async def test_the_address_is_checked(client: httpx.AsyncClient, sam: Registration) -> None:
    for wrong in ("nope", "sam@example.org"):
        answer = await resend(client, sam.code, wrong)
        assert answer.status_code == 422
        assert soup(answer).find(id="f-guardian_email")["aria-invalid"] == "true"
    await sam.refresh_from_db()
    assert sam.guardian_requests == 1


async def test_the_guardian_says_no_as_plainly_as_yes(
    client: httpx.AsyncClient, event: Event, sam: Registration, settings: Settings
) -> None:
    waiting = reg.SignupRequest(first_name="Bo", email="bo@example.org", birth_year=2004)
    await reg.sign_up(event.id, waiting, settings=settings)
    page = soup(await client.get(f"/consent/{sam.guardian_token}"))
    buttons = page.select("form button[type=submit]")
    assert len(buttons) == 2
    assert set(buttons[0]["class"]) == set(buttons[1]["class"])  # the same weight
    assert "Nee" in buttons[1].text and "Sam" in buttons[1].text

    said_no = await post_form(
        client, f"/consent/{sam.guardian_token}/decline", {}, form_page="/login"
    )
    assert said_no.status_code == 303
    await sam.refresh_from_db()
    assert sam.status == RegistrationStatus.CANCELLED and sam.guardian_declined_at
    assert sam.guardian_consent_at is None
    bo = await Registration.get(first_name="Bo")
    assert bo.status == RegistrationStatus.CONFIRMED  # the place went to the next in line
    told = await OutboxMessage.filter(kind="guardian_declined").values_list("to_email", flat=True)
    assert told == ["sam@example.org"]
    after = soup(await client.get(f"/consent/{sam.guardian_token}"))
    assert "nee" in after.select_one(".notice").text.lower()
    assert not after.select("form button[type=submit]")
