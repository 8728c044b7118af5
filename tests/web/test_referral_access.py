"""A referrer has no other rights: every organiser, host, door and staff API route answers
404 (or 403) to them, never data; they see only their own referrals; and every look at a
referral by staff is in the access log, which the organisation's organisers see."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from events.models import (
    ContactRoute,
    Group,
    OutboxMessage,
    Referral,
    ReferralView,
    Registration,
    RegistrationStatus,
    Role,
    Series,
    StaffUser,
)
from events.services.staff import create_user
from events.tickets import new_code
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup

STAFF_PREFIXES = ("/organise", "/host", "/api/host", "/checks")
PUBLIC_LINKS = ("/checks/welcome/",)  # a token link for new checkers, like a ticket link
ATTENDEE = "Wilhelmina"
NO_DATA = {
    # The scanner's service worker script: the same file for everyone, no data in it.
    "GET /host/sw.js": 200,
}


def _routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Mount) and route.path != "/static":
            found += _routes(list(route.routes), prefix + route.path)
        elif isinstance(route, Route):
            found.append((prefix + route.path, route))
    return found


async def _referral(org_id: int, referrer: StaffUser, name: str) -> Referral:
    return await Referral.create(
        organisation_id=org_id,
        referrer=referrer,
        first_name=name,
        contact_route=ContactRoute.EMAIL,
        email=f"{name.lower()}@example.org",
        group=Group.OLDER,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
        feedback_consent=True,
    )


async def test_a_referrer_gets_404_on_every_staff_route(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, has_tables=True)
    registration = await Registration.create(
        event=event,
        code=new_code(),
        first_name=ATTENDEE,
        email="wil@example.org",
        group=Group.OLDER,
        status=RegistrationStatus.CONFIRMED,
    )
    series = await Series.create(organisation=org, title="Reeks", frequency="weekly")
    message = await OutboxMessage.create(
        kind="confirmation",
        to_email="wil@example.org",
        subject=ATTENDEE,
        text_body=ATTENDEE,
        event=event,
        registration=registration,
        next_attempt_at=datetime.now(UTC),
    )
    referrer = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    own = await _referral(org.id, referrer, "Gerrit")
    values = {
        "event_id": str(event.id),
        "registration_id": str(registration.id),
        "venue_id": str(venue.id),
        "series_id": str(series.id),
        "referral_id": str(own.id),
        "user_id": str(referrer.id),
        "message_id": str(message.id),
        "slug": event.slug,
        "format": "csv",
        "action": "cancel",
    }
    await sign_in(client, "linde@example.org")
    token = await csrf_token(client, "/referrals/new")
    checked = 0
    answers: dict[str, int] = {}
    for path, route in _routes(list(app.routes)):
        if not path.startswith(STAFF_PREFIXES) or path.startswith(PUBLIC_LINKS):
            continue
        url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if method == "GET":
                response = await client.get(url)
            elif path.startswith("/api/"):
                response = await client.post(
                    url,
                    json=_scan_body(registration.code, checked),
                    headers={"X-CSRF-Token": token},
                )
            else:
                response = await client.post(url, data={"csrf_token": token, "confirm": "yes"})
            checked += 1
            answers[f"{method} {path}"] = response.status_code
            for secret in (ATTENDEE, "wil@example.org", event.title, registration.code):
                assert secret not in response.text, (method, url)
    assert checked > 40
    assert {k: answers[k] for k in NO_DATA} == NO_DATA
    wrong = {k: v for k, v in answers.items() if v not in (403, 404) and k not in NO_DATA}
    assert not wrong, "\n".join(f"{k} {v}" for k, v in wrong.items())
    await registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # nothing was changed
    assert await Referral.filter(id=own.id).exclude(first_name="").exists()


def _scan_body(code: str, n: int) -> dict[str, object]:
    """A well-formed body for every door API call, so that access is what answers."""
    scan = {"nonce": f"nonce-{n}", "device_id": "phone", "code": code}
    return {**scan, "first_name": "Piet", "group": "open", "scans": [{**scan, "nonce": f"b-{n}"}]}


async def test_the_hosts_home_refuses_a_referrer(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await create_user("linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org)
    await sign_in(client, "linde@example.org")
    assert (await client.get("/host/")).status_code == 404


async def test_a_referrer_sees_only_their_own_referrals(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    mine = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    other = await create_user(
        "wijkteam@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    await _referral(org.id, mine, "Gerrit")
    theirs = await _referral(org.id, other, "Truus")
    await sign_in(client, "linde@example.org")
    page = await client.get("/referrals")
    assert "Gerrit" in page.text and "Truus" not in page.text
    erase = await post_form(
        client, f"/referrals/{theirs.id}/erase", {"confirm": "yes"}, form_page="/referrals"
    )
    assert erase.status_code == 404
    assert (await client.get(f"/organise/referrals/{theirs.id}")).status_code == 404
    await theirs.refresh_from_db()
    assert theirs.first_name == "Truus"
    logged = await ReferralView.filter(staff_user_id=mine.id).values_list("referral_id", flat=True)
    assert theirs.id not in logged


async def test_every_view_is_logged_and_shown_to_the_organisations_organisers(
    client: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    outsider_org = await factories.organisation()
    await factories.organiser(outsider_org, email="ander@example.org")
    referrer = await create_user(
        "linde@example.org",
        factories.PASSWORD,
        role=Role.REFERRER,
        organisation=org,
        name="Praktijk De Linde",
    )
    referral = await _referral(org.id, referrer, "Gerrit")
    await sign_in(client, "linde@example.org")
    await client.get("/referrals")
    assert (await client.get("/organise/referrals/log")).status_code == 404
    await sign_in(client, "inge@example.org")
    await client.get("/organise/referrals")
    await client.get(f"/organise/referrals/{referral.id}")
    await client.get(f"/organise/referrals/{referral.id}")
    rows = (
        await ReferralView.filter(referral_id=referral.id)
        .order_by("id")
        .values_list("staff_user__email", "action")
    )
    assert rows == [
        ("linde@example.org", "list"),
        ("inge@example.org", "list"),
        ("inge@example.org", "view"),
        ("inge@example.org", "view"),
    ]
    log = await client.get("/organise/referrals/log")
    assert log.status_code == 200
    table = soup(log).find("table")
    assert table is not None
    cells = [row.find_all("td") for row in table.find_all("tr")[1:]]
    assert len(cells) == 4 and all(c[2].text == f"#{referral.id}" for c in cells)
    assert "Praktijk De Linde" in log.text and "inge@example.org" in log.text
    assert "Gerrit" not in log.text  # the log names referrals by number only
    await sign_in(client, "ander@example.org")
    other_log = await client.get("/organise/referrals/log")
    assert other_log.status_code == 200 and f"#{referral.id}" not in other_log.text
