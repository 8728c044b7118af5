"""The organiser's outbox page: own organisation's waiting and failed mail, nobody else's."""

from __future__ import annotations

import httpx

from events.models import MailStatus, Organisation, OutboxMessage
from events.services import registrations
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup


async def _signed_up(settings: Settings, org: Organisation, email: str) -> OutboxMessage:
    venue = await factories.venue(org)
    event = await factories.event(venue)
    request = registrations.SignupRequest(
        first_name="Wim", email=email, birth_year=1948, locale="nl"
    )
    await registrations.sign_up(event.id, request, settings=settings)
    return await OutboxMessage.get(to_email=email, kind="confirmation")


async def _fail(message: OutboxMessage, error: str) -> None:
    await OutboxMessage.filter(id=message.id).update(
        status=MailStatus.FAILED, attempts=6, last_error=error
    )


async def test_organiser_sees_own_waiting_and_failed_mail_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    own, other = await factories.organisation(), await factories.organisation()
    await _signed_up(settings, own, "wim@example.org")
    await _fail(await _signed_up(settings, own, "fout@example.org"), "550 5.1.1 No such mailbox")
    await _fail(await _signed_up(settings, other, "geheim@example.org"), "550 elsewhere")
    await _signed_up(settings, other, "ook-geheim@example.org")
    await factories.organiser(own, email="ina@example.org")
    await sign_in(client, "ina@example.org")

    page = await client.get("/organise/outbox")

    assert page.status_code == 200
    text = soup(page).get_text(" ")
    assert "wim@example.org" in text
    assert "fout@example.org" in text and "550 5.1.1 No such mailbox" in text
    assert "geheim@example.org" not in text and "elsewhere" not in text
    dashboard = await client.get("/organise/")
    assert soup(dashboard).find("a", href="/organise/outbox") is not None


async def test_failed_mail_can_be_queued_again_but_not_someone_elses(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    own, other = await factories.organisation(), await factories.organisation()
    mine = await _signed_up(settings, own, "wim@example.org")
    theirs = await _signed_up(settings, other, "geheim@example.org")
    await _fail(mine, "Connection refused")
    await _fail(theirs, "Connection refused")
    await factories.organiser(own, email="ina@example.org")
    await sign_in(client, "ina@example.org")

    done = await post_form(
        client, f"/organise/outbox/{mine.id}/retry", {}, form_page="/organise/outbox"
    )
    assert done.status_code == 303
    again = await OutboxMessage.get(id=mine.id)
    assert again.status == MailStatus.QUEUED and again.attempts == 0

    refused = await post_form(
        client, f"/organise/outbox/{theirs.id}/retry", {}, form_page="/organise/outbox"
    )
    assert refused.status_code == 404
    assert (await OutboxMessage.get(id=theirs.id)).status == MailStatus.FAILED


async def test_hosts_and_strangers_do_not_get_the_outbox(client: httpx.AsyncClient) -> None:
    assert (await client.get("/organise/outbox")).status_code == 303
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.host(org, [venue], email="deur@example.org")
    await sign_in(client, "deur@example.org")
    assert (await client.get("/organise/outbox")).status_code == 404
