"""Mail without a mail server: organisers read a queued message on the outbox page (a hall
without mail set-up passes a consent link on by hand) and send one again."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from events.models import MailStatus, OutboxMessage
from events.services import registrations
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup


async def test_a_queued_message_can_be_read_and_sent_again(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    event = await factories.event(await factories.venue(org))
    young = datetime.now(UTC).year - 14
    request = registrations.SignupRequest(
        first_name="Sam", email="sam@example.org", birth_year=young,
        guardian_email="ouder@example.org",
    )  # fmt: skip
    await registrations.sign_up(event.id, request, settings=settings)
    consent = await OutboxMessage.get(kind="guardian_request")
    await sign_in(client, "inge@example.org")
    outbox = soup(await client.get("/organise/outbox"))
    assert outbox.find("a", href=f"/organise/outbox/{consent.id}") is not None
    page = await client.get(f"/organise/outbox/{consent.id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "/consent/" in soup(page).select_one("pre.mail-text").text  # type: ignore[union-attr]
    await OutboxMessage.filter(id=consent.id).update(status=MailStatus.SENT)
    again = await post_form(
        client, f"/organise/outbox/{consent.id}/resend", {}, form_page="/organise/outbox"
    )
    assert again.status_code == 303
    copies = await OutboxMessage.filter(kind="guardian_request").order_by("id")
    assert [m.status for m in copies] == [MailStatus.SENT, MailStatus.QUEUED]
    assert copies[1].text_body == copies[0].text_body


async def test_another_organisation_cannot_read_the_message(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org))
    message = await OutboxMessage.create(
        kind="confirmation", to_email="riet@example.org", subject="Ticket",
        text_body="Geheim ticket", event_id=event.id, next_attempt_at=datetime.now(UTC),
    )  # fmt: skip
    await factories.organiser(await factories.organisation(), email="piet@example.org")
    await sign_in(client, "piet@example.org")
    answer = await client.get(f"/organise/outbox/{message.id}")
    assert answer.status_code == 404 and "Geheim" not in answer.text
    refused = await post_form(
        client, f"/organise/outbox/{message.id}/resend", {}, form_page="/organise/outbox"
    )
    assert refused.status_code == 404
