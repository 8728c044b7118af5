"""A phone-sized Chromium opens the home page, finds no sideways scrolling, opens an event."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from events.services.demo import load_demo


async def test_home_fits_a_phone_and_the_first_event_opens(page: Page, tmp_path: Path) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    await page.goto("/")
    await page.screenshot(path=tmp_path / "home.png", full_page=True)
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first = page.locator(".card-link").first
    title = (await first.locator(".card-title").inner_text()).strip()
    await first.click()
    await page.wait_for_load_state()
    assert "/events/" in page.url
    assert (await page.locator("h1").inner_text()).strip() == title
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
