"""The organiser's desk in a real browser: reprint from the sign-ups list, an override into a
full group, and the tables page on a 320-pixel screen without sideways scrolling."""

from __future__ import annotations

from playwright.async_api import Browser, Page

from events.models import Event, Registration, RegistrationStatus
from tests import factories

LAPTOP = {"width": 1280, "height": 800}


async def _organiser_page(browser: Browser, live_server: str, *, width: int) -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": 800}, base_url=live_server, locale="nl-NL"
    )
    page = await context.new_page()
    await page.goto("/login")
    await page.fill("input[name=email]", "inge@example.org")
    await page.fill("input[name=password]", factories.PASSWORD)
    await page.click("main button[type=submit]")
    await page.wait_for_url("**/organise/")
    return page


async def _event() -> Event:
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    venue = await factories.venue(org, step_free_entrance=True)
    return await factories.event(
        venue, places_young=4, places_older=1, has_tables=True, table_size=3, table_rounds=2
    )


async def test_override_into_a_full_group_then_reprint_from_the_list(
    browser: Browser, live_server: str
) -> None:
    event = await _event()
    page = await _organiser_page(browser, live_server, width=LAPTOP["width"])
    for name in ("Els", "Kees"):
        await page.goto(f"/organise/events/{event.id}/register")
        await page.fill("input[name=first_name]", name)
        await page.select_option("select[name=group]", "older")
        await page.click("main form button[type=submit]")
        if name == "Kees":  # the group is full now: the form asks
            await page.get_by_label("Toch een plek geven").check()
            await page.click("main form button[type=submit]")
        await page.wait_for_url("**/print")
    kees = await Registration.get(first_name="Kees")
    assert kees.status == RegistrationStatus.CONFIRMED and kees.over_capacity
    await page.goto(f"/organise/events/{event.id}/registrations")
    await page.get_by_role("link", name="Ticket van Kees afdrukken").click()
    await page.wait_for_url(f"**/tickets/{kees.code}/print")
    assert "Kees" in await page.inner_text("main")


async def test_the_tables_page_fits_320_pixels(browser: Browser, live_server: str) -> None:
    event = await _event()
    for n, group in enumerate(["young", "young", "young", "young", "older", "older"]):
        await Registration.create(
            event=event, code=f"CODE{n}ABCDEFGH", first_name=f"Naam{n}", group=group,
            status="confirmed", email=f"n{n}@example.org",
        )  # fmt: skip
    page = await _organiser_page(browser, live_server, width=320)
    await page.goto(f"/organise/events/{event.id}/tables")
    await page.click("form.plan-form button[type=submit]")
    await page.wait_for_selector("text=Ronde 1")
    width = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width


async def test_the_to_call_list_after_a_promotion(browser: Browser, live_server: str) -> None:
    """Someone without email waits with a phone number; when a place frees up the office
    sees them on the to-call list, calls, and ticks them off."""
    event = await _event()
    page = await _organiser_page(browser, live_server, width=LAPTOP["width"])
    for name, phone in (("Els", ""), ("Kees", "06 1234 5678")):
        await page.goto(f"/organise/events/{event.id}/register")
        await page.fill("input[name=first_name]", name)
        await page.select_option("select[name=group]", "older")
        if phone:
            await page.fill("input[name=phone]", phone)
        await page.click("main form button[type=submit]")
        if name == "Kees":
            await page.get_by_label("Op de wachtlijst zetten").check()
            await page.click("main form button[type=submit]")
        await page.wait_for_url("**/print")
    await page.goto("/organise/to-call")
    assert "Kees" not in await page.inner_text("main")
    await page.goto(f"/organise/events/{event.id}/registrations")
    els = await Registration.get(first_name="Els")
    await page.locator(f"form[action$='/registrations/{els.id}/cancel'] button").click()
    await page.get_by_role("button", name="Ja, annuleer deze plek").click()
    await page.goto("/organise/")
    await page.get_by_role("link", name="Nog bellen (1)").click()
    main = await page.inner_text("main")
    assert "Kees" in main and "06 1234 5678" in main
    await page.get_by_role("button", name="Gebeld: afvinken").click()
    await page.wait_for_selector("text=Afgevinkt.")
    assert "Kees" not in await page.inner_text("main")
