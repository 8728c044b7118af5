"""axe finds no violation of any severity (all rules, best practices included) on the door's
pages at a phone viewport: the host home, and the scanner page idle, with name hits, with a
result, offline with a queued walk-in, and with a notice."""

from __future__ import annotations

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from events.models import Event
from events.settings import Settings
from tests.browser.conftest import PHONE
from tests.browser.test_door_offline import add_walk_in
from tests.browser.test_scanner import (
    go_offline,
    go_online,
    open_scanner,
    setup_event,
    sign_in,
    type_code,
)


async def assert_no_violations(page: Page, state: str) -> None:
    results = await Axe().run(page)
    found = results.response["violations"]
    assert not found, f"{state}: {results.generate_report()}"
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), state


async def test_the_door_pages_have_no_axe_violations(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (ana, _bo) = await setup_event(settings, ["Ana", "Bo"])
    await Event.filter(id=event.id).update(places_older=0)
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await assert_no_violations(page, "host home")
        await open_scanner(page, event)
        await assert_no_violations(page, "scanner, idle")
        await page.fill("#door-search", "a")
        await page.locator("#door-search-results li").first.wait_for()
        await type_code(page, ana.code, "Ana")
        await assert_no_violations(page, "scanner, a result and name hits")
        await go_offline(context)
        await page.wait_for_selector("#door-network[data-online='false']")
        await add_walk_in(page, "Piet", "older")
        await page.wait_for_selector("#door-result[data-outcome='walk_in_queued']")
        await assert_no_violations(page, "scanner, offline with a queued walk-in")
        await go_online(context)
        await page.locator("#door-notices li").first.wait_for(timeout=15_000)
        await assert_no_violations(page, "scanner, a notice after sync")
        await page.fill("#door-search", "zzz")
        await page.locator("#door-search-results li").first.wait_for()
        await assert_no_violations(page, "scanner, nobody found")
    finally:
        await context.close()
