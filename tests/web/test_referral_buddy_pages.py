"""The organiser pairs a buddy on the referral's page; the buddy answers on the page behind
the link in their mail with one of three buttons."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import httpx

from events.models import (
    BuddyPairing,
    ContactRoute,
    Group,
    OutboxMessage,
    Referral,
    Registration,
    RegistrationStatus,
    Volunteer,
)
from events.tickets import new_code
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup


async def test_pair_on_the_page_and_the_buddy_answers(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org, name="Café De Zaak")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    event = await factories.event(venue, starts_at=start, ends_at=start + timedelta(hours=2))
    await factories.organiser(org, email="inge@example.org")
    gerrit = await Registration.create(
        event=event,
        code=new_code(),
        first_name="Gerrit",
        email="gerrit@example.org",
        group=Group.OLDER,
        status=RegistrationStatus.CONFIRMED,
    )
    referral = await Referral.create(
        organisation=org,
        first_name="Gerrit",
        contact_route=ContactRoute.EMAIL,
        email="gerrit@example.org",
        group=Group.OLDER,
        wants_buddy=True,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
        registration=gerrit,
    )
    volunteer = await Volunteer.create(
        organisation=org,
        first_name="Sanne",
        email="sanne@example.org",
        buddy=True,
        token=secrets.token_urlsafe(16),
    )
    await sign_in(client, "inge@example.org")
    path = f"/organise/referrals/{referral.id}/buddy"
    page = await client.get(path)
    assert page.status_code == 200 and "Sanne" in page.text
    point = soup(page).find("input", attrs={"name": "meeting_point"})
    assert point is not None and "Café De Zaak" in str(point["value"])
    empty = await post_form(client, path, {"meeting_point": "Bar"}, form_page=path)
    assert empty.status_code == 422
    paired = await post_form(
        client,
        path,
        {"buddy": f"volunteer:{volunteer.id}", "meeting_point": "Bij de bar", "group": "young"},
        form_page=path,
    )
    assert paired.status_code == 303
    detail = await client.get(paired.headers["location"])
    assert "Sanne" in detail.text and "Bij de bar" in detail.text
    mail = await OutboxMessage.get(kind="referral_buddy")
    match = re.search(r"http://\S+(/buddy/\S+)", mail.text_body)
    assert match
    link = match.group(1)
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/organise/")})

    early = await client.get(link)
    assert early.status_code == 200 and "Gerrit" in early.text
    assert soup(early).find("button", attrs={"name": "outcome"}) is None
    event.starts_at = datetime.now(UTC) - timedelta(minutes=5)
    await event.save()
    page = await client.get(link)
    buttons = [b["value"] for b in soup(page).find_all("button", attrs={"name": "outcome"})]
    assert buttons == ["yes", "not_yet", "no"]
    assert soup(page).find("textarea") is None
    token = await csrf_token(client, link)
    answered = await client.post(link, data={"outcome": "not_yet", "csrf_token": token})
    assert answered.status_code == 303
    assert (await BuddyPairing.get()).outcome == "not_yet"
    bad = await client.post(link, data={"outcome": "so-so", "csrf_token": token})
    assert bad.status_code == 409
    assert (await client.get("/buddy/unknown")).status_code == 404
