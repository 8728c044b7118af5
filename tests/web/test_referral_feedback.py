"""The referrer's page shows per referral only its stage, and after "invited" only when the
person agreed to that feedback: never the activity, the venue or anything from the door."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import httpx

from events.models import (
    CheckIn,
    ContactRoute,
    Group,
    Referral,
    Registration,
    RegistrationStatus,
    Role,
)
from events.services.staff import create_user
from events.tickets import new_code
from tests import factories
from tests.web.helpers import sign_in, soup


async def test_referrer_sees_came_only_with_consent_and_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org, name="Geheime Zaal")
    event = await factories.event(venue, title="Verborgen Avond")
    referrer = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    for name, feedback in (("Gerrit", True), ("Truus", False)):
        registration = await Registration.create(
            event=event,
            code=new_code(),
            first_name=name,
            email=f"{name.lower()}@example.org",
            group=Group.OLDER,
            status=RegistrationStatus.CONFIRMED,
        )
        await CheckIn.create(
            event=event,
            registration=registration,
            scanned_at=event.starts_at,
            device_id="d",
            nonce=secrets.token_hex(8),
        )
        await Referral.create(
            organisation=org,
            referrer=referrer,
            first_name=name,
            contact_route=ContactRoute.VIA_REFERRER,
            group=Group.OLDER,
            consent_text="Ja.",
            consented_at=datetime.now(UTC),
            feedback_consent=feedback,
            invited_event=event,
            invited_at=datetime.now(UTC),
            registration=registration,
        )
    await sign_in(client, "linde@example.org")
    client.cookies.set("lang", "en")
    page = await client.get("/referrals")
    assert page.status_code == 200
    lines = {
        li.find("strong").text: li.find(class_="badge").text
        for li in soup(page).select("ul.rows li")
    }
    assert lines == {"Gerrit": "Came", "Truus": "Invited"}
    for secret in ("Verborgen Avond", "Geheime Zaal", "gerrit@example.org"):
        assert secret not in page.text
