"""A volunteer door host on a phone: six characters open the scanner of one activity, they
check someone in, and the pass opens nothing else (another activity, before its window,
after it is withdrawn)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import Page

from events.models import CheckIn, Registration
from events.services import volunteers
from tests import factories


async def test_a_code_opens_one_scanner_and_is_refused_elsewhere(page: Page) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    actor = await factories.actor_of(await factories.organiser(org))
    soon = datetime.now(UTC) + timedelta(minutes=20)
    event = await factories.event(venue, starts_at=soon, ends_at=soon + timedelta(hours=2))
    later = datetime.now(UTC) + timedelta(days=2)
    other = await factories.event(venue, starts_at=later, ends_at=later + timedelta(hours=2))
    ana = await Registration.create(
        event=event, code="PASSANACODEXYZ", first_name="Ana", group="young", status="confirmed"
    )
    door_pass = await volunteers.create_door_pass(actor, event.id, {"holder_name": "Jesse"})
    early = await volunteers.create_door_pass(actor, other.id, {"holder_name": "Jesse"})

    await page.goto("/door-pass")
    await page.fill("#f-code", door_pass.code.lower())
    await page.click("main button[type=submit]")
    await page.get_by_role("link", name="Open de scanner").click()
    await page.wait_for_url(f"**/host/events/{event.id}/scan")
    await page.fill("#door-code", ana.code)
    await page.press("#door-code", "Enter")
    await page.wait_for_selector("#door-result[data-outcome='ok']", timeout=15_000)
    row = await CheckIn.get(registration_id=ana.id)
    assert row.door_pass_id == door_pass.id

    refused = await page.goto(f"/host/events/{other.id}/scan")
    assert refused is not None and "/login?next=" in refused.url  # not its activity
    await page.goto("/door-pass")
    await page.fill("#f-code", early.code)
    await page.click("main button[type=submit]")
    assert "een uur voor" in await page.inner_text("main")  # not before its window

    await volunteers.revoke_door_pass(actor, door_pass.id, now=datetime.now(UTC))
    gone = await page.goto(f"/host/events/{event.id}/scan")
    assert gone is not None and "/login" in gone.url
