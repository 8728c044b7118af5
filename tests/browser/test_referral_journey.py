"""The referral journey in Chromium: a referrer on a phone refers someone who wants a buddy;
the organiser on a laptop invites them to a suggested activity; they sign up through the
invitation on a phone; a buddy is paired; the table plan seats the two together in round 1;
after check-in at the door the referrer sees "came". Screenshots of the referral form and
the organiser's list are taken at phone size (in the test's temporary directory)."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page

from events.models import (
    Event,
    OutboxMessage,
    Referral,
    ReferralStage,
    Registration,
    RegistrationStatus,
    Role,
    StaffUser,
    TablePlan,
    Volunteer,
)
from events.services import door
from events.services.staff import create_user
from events.tickets import new_code
from tests import factories
from tests.browser.conftest import PHONE

LAPTOP = {"width": 1280, "height": 800}
PASSWORD = factories.PASSWORD


async def _context(browser: Browser, base_url: str, viewport: dict[str, int]) -> BrowserContext:
    return await browser.new_context(viewport=viewport, base_url=base_url, locale="nl-NL")  # type: ignore[arg-type]


async def _sign_in(page: Page, email: str, next_path: str) -> None:
    await page.goto(f"/login?next={next_path}")
    await page.fill("#f-email", email)
    await page.fill("#f-password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"**{next_path}")


async def _fits_the_screen(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def _no_serious_axe_violations(page: Page) -> None:
    results = await Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, results.generate_report()


async def _world() -> dict[str, object]:
    org = await factories.organisation(name="Stichting Samen")
    org.contact_name, org.contact_phone = "Inge", "0575 123 456"
    await org.save()
    cafe = await factories.venue(
        org, name="Café De Zaak", town="Zutphen", step_free_entrance=True, hearing_loop=True
    )
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
    event = await factories.event(
        cafe, title="Spelletjesavond", starts_at=start, ends_at=start + timedelta(hours=2),
        has_tables=True, table_size=4, table_rounds=2,
    )  # fmt: skip
    for n in range(8):
        await Registration.create(
            event=event, code=new_code(), first_name=f"Gast{n}", email=f"gast{n}@example.org",
            group="young" if n % 2 else "older", status=RegistrationStatus.CONFIRMED,
        )  # fmt: skip
    await factories.organiser(org, email="inge@example.org")
    await create_user(
        "linde@example.org",
        PASSWORD,
        role=Role.REFERRER,
        organisation=org,
        name="Praktijk De Linde",
    )
    await Volunteer.create(
        organisation=org, first_name="Sanne", email="sanne@example.org", buddy=True,
        token=secrets.token_urlsafe(16),
    )  # fmt: skip
    return {"event": event}


async def test_referral_journey(
    browser: Browser, live_server: str, page: Page, tmp_path: Path
) -> None:
    world = await _world()
    event = world["event"]
    assert isinstance(event, Event)

    # 1. The referrer, on a phone, refers Gerrit, who wants a buddy.
    await _sign_in(page, "linde@example.org", "/referrals/new")
    assert await _fits_the_screen(page)
    await page.fill("#f-first_name", "Gerrit")
    await page.get_by_role("radio", name="Per e-mail").check()
    await page.fill("#f-email", "gerrit@example.org")
    await page.get_by_role("radio", name="Ouderen").check()
    await page.get_by_label("Zutphen").check()
    await page.get_by_text("Soorten activiteiten die kunnen passen (niet verplicht)").click()
    await page.get_by_label("Spelletjes").check()
    await page.get_by_label("Geen drempels (rolstoel, rollator)").check()
    await page.get_by_label("De eerste keer gaat er een maatje mee").check()
    await page.get_by_label("De persoon heeft met deze verklaring ingestemd").check()
    await page.get_by_label("De persoon heeft hier ook mee ingestemd (niet verplicht)").check()
    await page.screenshot(path=tmp_path / "referral-form-phone.png", full_page=True)
    await _no_serious_axe_violations(page)
    await page.get_by_role("button", name="Verwijzing versturen").click()
    await page.wait_for_url("**/referrals?sent=1")
    assert "Doorverwezen" in await page.locator("ul.rows").inner_text()
    referral = await Referral.get(first_name="Gerrit")

    # 2. The organiser, on a laptop, sees the suggestion and invites Gerrit by email.
    laptop = await _context(browser, live_server, LAPTOP)
    organiser = await laptop.new_page()
    await _sign_in(organiser, "inge@example.org", "/organise/referrals")
    listing = await organiser.locator("ul.rows").inner_text()
    assert "Gerrit" in listing and "Spelletjesavond" in listing
    await organiser.get_by_role("link", name="Gerrit").click()
    await organiser.screenshot(path=tmp_path / "organiser-referral-laptop.png", full_page=True)
    await _no_serious_axe_violations(organiser)
    await organiser.get_by_role("button", name="Uitnodigen per e-mail").click()
    await organiser.wait_for_url("**done=mailed")
    mail = await OutboxMessage.get(kind="referral_invitation")
    match = re.search(r"http://\S+(/invitations/\S+)", mail.text_body)
    assert match, mail.text_body

    # The organiser's list at phone size, for the note.
    phone_organiser = await _context(browser, live_server, PHONE)
    small = await phone_organiser.new_page()
    await _sign_in(small, "inge@example.org", "/organise/referrals")
    assert await _fits_the_screen(small)
    await small.screenshot(path=tmp_path / "organiser-list-phone.png", full_page=True)
    await _no_serious_axe_violations(small)
    await phone_organiser.close()

    # 3. Gerrit opens the invitation on a phone: his details are filled in.
    person = await _context(browser, live_server, PHONE)
    gerrit = await person.new_page()
    await gerrit.goto(match.group(1))
    assert await gerrit.input_value("#f-first_name") == "Gerrit"
    assert await gerrit.input_value("#f-email") == "gerrit@example.org"
    assert await _fits_the_screen(gerrit)
    await gerrit.screenshot(path=tmp_path / "invitation-phone.png", full_page=True)
    await _no_serious_axe_violations(gerrit)
    await gerrit.fill("#f-birth_year", "1948")
    await gerrit.get_by_role("button", name="Aanmelden").click()
    await gerrit.wait_for_url("**done=1")
    assert "Je bent aangemeld" in await gerrit.locator("main").inner_text()
    await person.close()
    await referral.refresh_from_db()
    assert referral.stage == ReferralStage.SIGNED_UP and referral.registration_id

    # 4. The organiser pairs Sanne as buddy and makes the table plan.
    await organiser.reload()
    await organiser.get_by_role("link", name="Maatje koppelen").click()
    await organiser.get_by_label("Sanne").check()
    await organiser.get_by_role("button", name="Koppelen en allebei een e-mail sturen").click()
    await organiser.wait_for_url("**done=paired")
    assert "Sanne" in await organiser.locator("main").inner_text()
    sanne = await Registration.get(event_id=event.id, email="sanne@example.org")
    await organiser.goto(f"/organise/events/{event.id}/tables")
    await organiser.get_by_role("button", name="Tafelindeling maken").click()
    await organiser.wait_for_load_state()
    plan = await TablePlan.get(event_id=event.id)
    first_round = plan.rounds[0]
    assert any(referral.registration_id in t and sanne.id in t for t in first_round), first_round
    await laptop.close()

    # 5. Gerrit is checked in at the door; the referrer now sees "came".
    organiser_actor = await factories.actor_of(await StaffUser.get(email="inge@example.org"))
    now = event.starts_at + timedelta(minutes=2)
    scan = door.check_scan(nonce="journey-1", device_id="door", scanned_at=now, now=now)
    await door.check_in(
        organiser_actor, event.id, scan, registration_id=referral.registration_id, now=now
    )
    await page.goto("/referrals")
    await page.screenshot(path=tmp_path / "referrer-list-phone.png", full_page=True)
    line = await page.locator("ul.rows li").first.inner_text()
    assert "Gerrit" in line and "Gekomen" in line
    assert "Spelletjesavond" not in await page.locator("main").inner_text()
