"""Work at the door without a connection, on a phone: a walk-in added offline is checked in
once when the network returns; walk-ins the server refuses on arrival end in a notice and are
not sent again; undo offline resets the result panel."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Browser, Page

from events.models import CheckIn, Registration, ScanAttempt
from events.settings import Settings
from tests.browser.conftest import PHONE
from tests.browser.test_scanner import (
    go_offline,
    go_online,
    open_scanner,
    setup_event,
    sign_in,
    type_code,
)


async def screenshot(page: Page, name: str) -> None:
    """Phone-sized pictures for a person to look at, when DOOR_SCREENSHOTS names a folder."""
    folder = os.environ.get("DOOR_SCREENSHOTS")
    if folder:
        await page.screenshot(path=Path(folder) / name)


async def add_walk_in(page: Page, name: str, group: str, email: str = "") -> None:
    await page.fill("#walkin-name", name)
    await page.select_option("#walkin-group", group)
    await page.fill("#walkin-email", email)
    await page.click("#door-walkin-form button[type=submit]")


async def test_an_offline_walk_in_is_checked_in_once(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, _people = await setup_event(settings, ["Ana"])
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await go_offline(context)
        await page.wait_for_selector("#door-network[data-online='false']")
        added = datetime.now(UTC)
        await add_walk_in(page, "Noor", "young")
        await page.wait_for_selector("#door-result[data-outcome='walk_in_queued']")
        assert await page.inner_text("#door-name") == "Noor"
        assert await page.inner_text("#door-outcome") == "Toegevoegd, wacht op verbinding"
        await page.wait_for_selector("#door-queue[data-count='1']")
        assert await page.inner_text("#door-queue") == "1 inchecking wacht op verbinding"
        assert await page.input_value("#walkin-name") == ""
        await page.evaluate("window.scrollTo(0, 0)")
        await screenshot(page, "door-offline-walk-in.png")
        assert await Registration.filter(first_name="Noor").count() == 0
        await go_online(context)
        await page.wait_for_selector("#door-queue[data-count='0']", timeout=15_000)
        notice = page.locator("#door-notices li", has_text="Noor")
        await notice.wait_for()
        assert "ingecheckt" in await notice.inner_text()
        await page.wait_for_selector("#door-result[data-outcome='ok']")  # the panel too
        assert await page.inner_text("#door-name") == "Noor"
        await page.evaluate("window.door.sync()")  # nothing left to send: nothing happens
        noor = await Registration.get(event_id=event.id, first_name="Noor")
        row = await CheckIn.get(registration_id=noor.id)
        assert abs((row.scanned_at - added).total_seconds()) < 5  # when added, not synced
        assert await Registration.filter(first_name="Noor").count() == 1
        assert await ScanAttempt.filter(registration_id=noor.id).count() == 1
        await screenshot(page, "door-offline-walk-in-synced.png")
    finally:
        await context.close()


async def test_walk_ins_the_server_refuses_get_a_notice_and_are_not_sent_again(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (ana,) = await setup_event(settings, ["Ana"])
    await event.__class__.filter(id=event.id).update(places_older=0)
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await go_offline(context)
        await add_walk_in(page, "Piet", "older")  # the older group has no places
        await page.wait_for_selector("#door-queue[data-count='1']")
        await add_walk_in(page, "Iemand", "young", email="ana@example.org")  # has a place
        await page.wait_for_selector("#door-queue[data-count='2']")
        assert await page.inner_text("#door-queue") == "2 incheckingen wachten op verbinding"
        await go_online(context)
        await page.wait_for_selector("#door-queue[data-count='0']", timeout=15_000)
        full = page.locator("#door-notices li", has_text="Piet")
        await full.wait_for()
        assert "de groep is vol" in await full.inner_text()
        refused = page.locator("#door-notices li", has_text="Iemand")
        await refused.wait_for()
        assert await refused.get_attribute("role") == "alert"
        assert await page.get_attribute("#door-result", "data-outcome") == "idle"
        await screenshot(page, "door-walk-in-refused.png")
        attempts = await ScanAttempt.all().count()
        await page.evaluate("window.door.sync()")
        assert await ScanAttempt.all().count() == attempts  # refused means not sent again
        piet = await Registration.get(event_id=event.id, first_name="Piet")
        assert piet.status.value == "waitlisted"
        assert not await CheckIn.filter(registration_id=piet.id).exists()
        assert await Registration.filter(first_name="Iemand").count() == 0
        await full.get_by_role("button", name="Toch binnenlaten: Piet").click()
        await page.wait_for_selector("#door-result[data-outcome='ok']")
        assert await page.inner_text("#door-name") == "Piet"
        assert await CheckIn.filter(registration_id=piet.id).exists()
        assert await full.count() == 0
        assert ana.status.value == "confirmed"
    finally:
        await context.close()


async def test_undo_offline_resets_the_result_panel(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (ana,) = await setup_event(settings, ["Ana"])
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await go_offline(context)
        await type_code(page, ana.code, "Ana")
        await page.wait_for_selector("#door-queue[data-count='1']")
        await page.click("#door-undo")
        await page.wait_for_selector("#door-result[data-outcome='idle']")
        assert await page.inner_text("#door-name") == ""
        assert await page.inner_text("#door-outcome") == "Inchecken ongedaan gemaakt."
        assert await page.is_hidden("#door-actions")
        assert await page.get_attribute("#door-queue", "data-count") == "0"
        await type_code(page, "ABCDEFGHJKMNPQRSTUVWXY", "")
        details = await page.inner_text("#door-details")
        assert "Zoek op naam" in details and "Iemand zonder aanmelding" in details
        await go_online(context)
        await page.wait_for_selector("#door-queue[data-count='0']", timeout=15_000)
        assert await CheckIn.filter(registration_id=ana.id).count() == 0
    finally:
        await context.close()
