"""axe-core finds no serious or critical WCAG 2.x A/AA problems on the main pages, and a
person can sign up on a phone with the keyboard-free, JavaScript-free form."""

from __future__ import annotations

from datetime import UTC, datetime

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from events.models import Event, Registration
from events.services import registrations
from events.services.demo import ORGANISER_EMAIL, load_demo
from events.settings import Settings

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


async def _assert_accessible(page: Page, path: str) -> None:
    await page.goto(path)
    results = await Axe().run(page, options=WCAG)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{path}: {results.generate_report()}"
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


async def test_public_pages_pass_axe(page: Page, settings: Settings) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    for path in (
        "/",
        "/events/spelletjesavond-de-zwaan",
        "/venues/cafe-de-zwaan",
        "/organisations/stichting-samen",
        "/privacy",
        "/login",
        "/nope",
    ):
        await _assert_accessible(page, path)
    event = await Event.get(slug="spelletjesavond-de-zwaan")
    request = registrations.SignupRequest(
        first_name="Ana", email="ana@example.org", birth_year=datetime.now(UTC).year - 20
    )
    outcome = await registrations.sign_up(event.id, request, settings=settings)
    assert outcome.lead is not None
    await _assert_accessible(page, f"/tickets/{outcome.lead.code}")


async def test_sign_up_on_a_phone(page: Page) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    await page.goto("/events/spelletjesavond-de-zwaan")
    await page.get_by_role("link", name="Aanmelden").first.click()
    await page.locator("#f-first_name").fill("Noor")
    await page.locator("#f-email").fill("noor@example.org")
    await page.locator("#f-birth_year").fill(str(datetime.now(UTC).year - 19))
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url("**/thanks")
    assert "n***@example.org" in await page.locator("main").inner_text()
    noor = await Registration.get(first_name="Noor")
    assert noor.status == "confirmed"


async def test_organiser_pages_pass_axe(page: Page) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    await page.goto("/login")
    await page.get_by_label("E-mailadres").fill(ORGANISER_EMAIL)
    await page.get_by_label("Wachtwoord").fill("samen-offline-demo")
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url("**/organise/")
    for path in (
        "/organise/",
        "/organise/events/new",
        "/organise/venues/new",
        "/organise/report",
        "/organise/outbox",
        "/organise/starters",
    ):
        await _assert_accessible(page, path)


async def test_a_refused_sign_up_shows_its_message_in_view(page: Page) -> None:
    await load_demo(timezone="Europe/Amsterdam")
    await page.goto("/events/spelletjesavond-de-zwaan")
    await page.locator("#f-first_name").fill("Noor")
    await page.locator("#f-email").fill("not an email")
    await page.get_by_role("button", name="Aanmelden").last.click()
    await page.wait_for_selector(".signup .notice-error")
    in_view = await page.evaluate(
        "(() => { const r = document.querySelector('.signup .notice-error')"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    assert in_view
