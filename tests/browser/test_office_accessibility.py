"""The office pages of the desk (sign-ups, assisted sign-up, the to-call list, an activity
with its notices, a queued email) pass axe with no WCAG A/AA violation of any severity, on
a laptop and a phone; the host's home fits 320 pixels."""

from __future__ import annotations

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from events.models import Event, OutboxMessage, Registration
from events.services.demo import HOST_EMAIL, ORGANISER_EMAIL, load_demo
from tests.browser.test_accessibility import WCAG


async def _signed_in(browser: Browser, live_server: str, email: str, width: int) -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": 800}, base_url=live_server, locale="nl-NL"
    )
    page = await context.new_page()
    await page.goto("/login")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord").fill("samen-offline-demo")
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_load_state()
    return page


async def _no_violations(page: Page, path: str) -> None:
    await page.goto(path)
    results = await Axe().run(page, options=WCAG)
    assert not results.response["violations"], f"{path}: {results.generate_report()}"
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


async def test_office_pages_have_no_violation(browser: Browser, live_server: str) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    event = await Event.get(slug="spelletjesavond-de-zwaan")
    await Registration.create(
        event=event, code="AXEDESKCODEABC", first_name="Riet", group="older",
        status="confirmed", phone="0612345678", waitlist_number=1,
    )  # fmt: skip
    message = await OutboxMessage.create(
        kind="confirmation", to_email="riet@example.org", subject="Je ticket",
        text_body="Hallo Riet,\n\nJe ticket: http://127.0.0.1/tickets/X", event_id=event.id,
        next_attempt_at=event.starts_at,
    )  # fmt: skip
    for width in (1280, 390):
        page = await _signed_in(browser, live_server, ORGANISER_EMAIL, width)
        for path in (
            f"/organise/events/{event.id}?done=published",
            f"/organise/events/{event.id}/registrations",
            f"/organise/events/{event.id}/register",
            "/organise/to-call",
            f"/organise/outbox/{message.id}",
        ):
            await _no_violations(page, path)
        await page.context.close()


async def test_the_hosts_home_fits_320_pixels(browser: Browser, live_server: str) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    page = await _signed_in(browser, live_server, HOST_EMAIL, 320)
    await page.goto("/host/")
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert await page.evaluate(fits)
