"""Phone-sized journeys of people who help: a volunteer signs up for a task without an
account, gets the mail (the outbox row the worker would send), and cancels from the link;
a checker signs in, walks the venue checklist and completes it, and the venue page shows
the new facts. Screenshots go to ``tmp_path`` (and to ``$VOLUNTEER_SHOTS`` when set)."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from events.models import (
    OutboxMessage,
    Role,
    ShiftStatus,
    TaskKind,
    Venue,
    VenueCheck,
    VolunteerShift,
    VolunteerTask,
)
from events.services.staff import create_user
from tests import factories

PASSWORD = "lange wandeling 42"


async def _shot(page: Page, folder: Path, name: str) -> None:
    path = folder / name
    await page.screenshot(path=path, full_page=True)
    _keep(path)


def _keep(path: Path) -> None:
    if target := os.environ.get("VOLUNTEER_SHOTS"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


async def _fits(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def _no_serious_axe_findings(page: Page) -> None:
    results = await Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, results.generate_report()


async def test_volunteer_signs_up_gets_the_mail_and_cancels(page: Page, tmp_path: Path) -> None:
    org = await factories.organisation(name="Stichting Samen")
    venue = await factories.venue(org, name="Dorpshuis De Linde", town="Warnsveld")
    event = await factories.event(venue, slug="spellenavond", title="Spellenavond")
    await VolunteerTask.create(
        event=event, kind=TaskKind.COFFEE, needed=2,
        starts_at=event.starts_at - timedelta(minutes=30), ends_at=event.ends_at,
    )  # fmt: skip
    await page.goto("/events/spellenavond/help")
    await _fits(page)
    await page.get_by_role("link", name="Ik help mee").first.click()
    await page.wait_for_load_state()
    await page.get_by_label("Voornaam").fill("Sanne")
    await page.get_by_label("E-mailadres").fill("sanne@example.org")
    await page.get_by_label("Telefoonnummer (niet verplicht)").fill("06 12345678")
    await page.get_by_label("Jullie mogen me opnieuw vragen voor een volgende activiteit").check()
    await _fits(page)
    await _no_serious_axe_findings(page)
    await _shot(page, tmp_path, "volunteer-task-signup.png")
    await page.get_by_role("button", name="Ik help mee").click()
    await page.wait_for_load_state()
    assert "Dank je wel, Sanne!" in await page.locator("main").inner_text()
    await _shot(page, tmp_path, "volunteer-task-thanks.png")

    mail = await OutboxMessage.get(kind="volunteer_confirmation")
    assert mail.to_email == "sanne@example.org"
    assert [a["filename"] for a in mail.attachments] == ["task.ics"]
    shift = await VolunteerShift.get()
    assert f"/help/{shift.token}" in mail.text_body

    await page.goto(f"/help/{shift.token}")
    await page.get_by_role("button", name="Ik kan toch niet helpen").click()
    await page.wait_for_load_state()
    await page.get_by_role("button", name="Ja, ik kan toch niet helpen").click()
    await page.wait_for_load_state()
    assert "Je helpt niet meer met deze taak" in await page.locator("main").inner_text()
    await shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED
    assert await OutboxMessage.filter(kind="volunteer_cancelled").count() == 1


async def test_checker_completes_a_venue_check_and_the_venue_shows_it(
    page: Page, tmp_path: Path
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(
        org, slug="bibliotheek", name="Bibliotheek Zutphen", step_free_entrance=False
    )
    checker = await create_user(
        "ria@example.org", PASSWORD, role=Role.CHECKER, organisation=org, name="Ria"
    )
    check = await VenueCheck.create(venue=venue, checker=checker)
    await page.goto("/venues/bibliotheek")
    assert "Ingang heeft een drempel of trap" in await page.locator("main").inner_text()

    await page.goto("/login?next=/checks/")
    await page.get_by_label("E-mailadres").fill("ria@example.org")
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_load_state()
    await page.get_by_role("link", name="Bibliotheek Zutphen").click()
    await page.wait_for_load_state()
    group = page.get_by_role("group", name="Ingang zonder drempels of trappen")
    await group.get_by_label("Ja").check()
    await page.get_by_role("group", name="Toegankelijk toilet").get_by_label("Ja").check()
    await (
        page.get_by_role("group", name="Stille ruimte om even bij te komen")
        .get_by_label("Nee")
        .check()
    )
    await page.get_by_label("Smalste deur onderweg (cm)").fill("90")
    await _fits(page)
    await _no_serious_axe_findings(page)
    await _shot(page, tmp_path, "venue-check-form.png")
    await page.get_by_role("button", name="Controle afronden").click()
    await page.wait_for_load_state()
    assert "De controle is af" in await page.locator("main").inner_text()
    await check.refresh_from_db()
    assert check.completed_at is not None and check.answers["door_width_cm"] == 90

    await page.goto("/venues/bibliotheek")
    text = await page.locator("main").inner_text()
    assert "Drempelvrije ingang" in text and "Toegankelijk toilet" in text
    saved = await Venue.get(id=venue.id)
    assert saved.step_free_entrance and saved.accessible_toilet and not saved.quiet_room
    await _shot(page, tmp_path, "venue-after-check.png")
