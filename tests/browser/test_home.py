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


async def test_the_first_activities_are_on_a_phones_first_screen(
    page: Page, tmp_path: Path
) -> None:
    """Filters are folded away: the first cards show without scrolling, each says its
    places per group or its waiting list; the day heading keeps Dutch month names in lower
    case ("donderdag 3 december")."""
    await load_demo(timezone="Europe/Amsterdam")
    await page.goto("/")
    await page.screenshot(path=tmp_path / "home-first-screen.png")
    height = await page.evaluate("window.innerHeight")
    cards = page.locator(".card")
    first = await cards.first.bounding_box()
    assert first is not None and first["y"] + first["height"] <= height
    assert await page.locator("details.filters-fold").get_attribute("open") is None
    for index in range(await cards.count()):
        card = cards.nth(index)
        if "is-cancelled" in (await card.get_attribute("class") or ""):
            continue
        assert await card.locator(".card-places li").count() >= 1
    heading = (await page.locator(".day-title").first.inner_text()).strip()
    weekday, _day, month = heading.split(" ")
    assert weekday == weekday.lower() and month == month.lower(), heading
