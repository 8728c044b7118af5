"""The name search on a phone tells three people called Noor apart (group, who they came
with, the end of their ticket code), puts exact names first, and checks in the right one."""

from __future__ import annotations

from playwright.async_api import Browser

from events.models import CheckIn
from events.services import registrations as reg
from events.settings import Settings
from tests.browser.conftest import PHONE
from tests.browser.test_door_offline import screenshot
from tests.browser.test_scanner import open_scanner, setup_event, sign_in


async def test_three_namesakes_are_told_apart(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (noortje, alone) = await setup_event(settings, ["Noortje", "Noor"])
    year = event.starts_at.year
    people = []
    for email, age, companions in (
        ("noor2@example.org", 17, ("Riet", 81)),
        ("noor3@example.org", 70, None),
    ):
        request = reg.SignupRequest(
            first_name="Noor",
            email=email,
            birth_year=year - age,
            companions=(reg.Companion(companions[0], year - companions[1]),) if companions else (),
        )
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        people.append(outcome.lead)
    with_gran, older = people
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await page.fill("#door-search", "noor")
        hits = page.locator("#door-search-results li")
        await hits.nth(3).wait_for()
        texts = [await hits.nth(i).inner_text() for i in range(await hits.count())]
        assert [t.split(" ·")[0] for t in texts] == ["Noor", "Noor", "Noor", "Noortje"]
        assert len(set(texts[:3])) == 3
        for person in (alone, with_gran, older):
            assert sum(f"…{person.code[-4:]}" in t for t in texts) == 1
        line = next(t for t in texts if with_gran.code[-4:] in t)
        assert "met Riet" in line
        assert "Ouderen" in next(t for t in texts if older.code[-4:] in t)
        await page.locator("#door-search-results").scroll_into_view_if_needed()
        await screenshot(page, "door-name-search.png")
        button = page.get_by_role("button", name=f"Inchecken: Noor, ticket …{with_gran.code[-4:]}")
        await button.click()
        await page.wait_for_selector("#door-result[data-outcome='ok']")
        assert await CheckIn.filter(registration_id=with_gran.id).count() == 1
        assert await CheckIn.all().count() == 1
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert noortje.first_name == "Noortje"
    finally:
        await context.close()
