"""The ideas journey on a phone, with mail through a real SMTP server on loopback (aiosmtpd):
propose, confirm from the mail, an organiser approves, two other people say they would come
and confirm, the organiser turns the idea into an activity and publishes it, and both
supporters get exactly one mail with the sign-up link. Phone screenshots of the ideas page
and the idea are kept (in ``EVENTS_SCREENSHOT_DIR`` when set) for a person to look at."""

from __future__ import annotations

import email.message
import email.policy
import os
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from events.models import Idea, IdeaStatus
from events.services import ideas, outbox
from events.services.mailer import SMTPMailer
from events.settings import Settings
from tests import factories
from tests.browser.conftest import PHONE

TITLE = "Spelletjesavond met opa en oma"
SUMMARY = "Bordspellen met jong en oud aan één tafel. Iedereen neemt zijn lievelingsspel mee."
SUPPORTERS = ("kees@example.org", "mila@example.org")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def deliver(settings: Settings, port: int) -> None:
    """What the worker does: send every due message, here to the loopback server."""
    mailer = SMTPMailer(settings.but(smtp_host="127.0.0.1", smtp_port=port))
    await outbox.send_due(mailer, now=datetime.now(UTC), mail_from=settings.mail_from)


def link_path(message: email.message.EmailMessage, marker: str) -> str:
    """The path of the link containing ``marker`` in a mail's plain-text part."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text = part.get_content()
    url = next(u for u in re.findall(r"https?://\S+", text) if marker in u)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


async def fits_phone(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    results = await Axe().run(page, options=WCAG)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {results.generate_report()}"


async def phone(browser: Browser, base_url: str) -> Page:
    context = await browser.new_context(viewport=PHONE, base_url=base_url, locale="nl-NL")
    return await context.new_page()


def screenshot_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("EVENTS_SCREENSHOT_DIR")
    folder = Path(wanted) if wanted else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_from_idea_to_activity_on_a_phone(
    page: Page,
    browser: Browser,
    live_server: str,
    settings: Settings,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
) -> None:
    inbox, port = smtp
    org = await factories.organisation(slug="samen", name="Stichting Samen")
    venue = await factories.venue(org, slug="zwaan", name="Café De Zwaan", town="Zutphen")
    await factories.venue(org, slug="bieb", name="Bibliotheek Zutphen", town="Zutphen")
    await factories.organiser(org, email="inge@example.org")

    # Propose, on a phone, without an account.
    await page.goto("/ideas")
    await fits_phone(page)
    await page.get_by_role("link", name="Stel een idee voor").first.click()
    await page.wait_for_url("**/ideas/new")
    await fits_phone(page)
    await page.screenshot(path=screenshot_dir(tmp_path) / "idea-form-phone.png", full_page=True)
    await page.get_by_label("Je idee in een paar woorden").fill(TITLE)
    await page.get_by_label("Vertel er in twee zinnen meer over").fill(SUMMARY)
    await page.get_by_label("Plaats (verplicht)").select_option("Zutphen")
    await page.get_by_label("Een bepaalde plek?").select_option(label="Café De Zwaan")
    await page.get_by_label("In het weekend").check()
    await page.get_by_label("Jong en oud samen").check()
    await page.get_by_label("Voornaam").fill("Sanne")
    await page.get_by_label("E-mailadres").fill("sanne@example.org")
    await page.get_by_role("button", name="Mijn idee versturen").click()
    await page.wait_for_url("**/ideas/new/thanks")
    assert "s***@example.org" in await page.locator("main").inner_text()

    # Confirm from the mail.
    await deliver(settings, port)
    [confirmation] = inbox.to("sanne@example.org")
    await page.goto(link_path(confirmation, "/ideas/confirm/"))
    await page.get_by_role("button", name="Mijn idee bevestigen").click()
    await page.get_by_role("heading", name="Je idee is bevestigd").wait_for()
    idea = await Idea.get(title=TITLE)
    assert idea.status == IdeaStatus.PENDING
    assert (await page.goto(f"/ideas/{idea.id}")).status == 404  # not before approval

    # An organiser of the town approves it.
    organiser = await phone(browser, live_server)
    await organiser.goto("/login?next=/organise/ideas")
    await organiser.get_by_label("E-mailadres").fill("inge@example.org")
    await organiser.get_by_label("Wachtwoord").fill(factories.PASSWORD)
    await organiser.get_by_role("button", name="Inloggen").click()
    await organiser.wait_for_url("**/organise/ideas")
    await organiser.get_by_role("button", name="Goedkeuren").click()
    await organiser.wait_for_url("**/organise/ideas?done=approve")

    # Two other people say they would come, each on their own phone, and confirm.
    for address in SUPPORTERS:
        other = await phone(browser, live_server)
        await other.goto("/ideas")
        await other.get_by_role("link", name=TITLE).click()
        await other.get_by_label("E-mailadres").fill(address)
        await other.get_by_label("Ik neem iemand ouder mee").check()
        await other.get_by_role("button", name="Ik zou komen").click()
        await other.wait_for_url(f"**/ideas/{idea.id}/supported")
        await deliver(settings, port)
        [ask] = inbox.to(address)
        await other.goto(link_path(ask, "/ideas/support/"))
        await other.get_by_role("button", name="Ja, tel mij mee").click()
        await other.get_by_role("heading", name="Je telt mee").wait_for()
        await other.context.close()

    # What the public sees: how many would come, never who.
    shots = screenshot_dir(tmp_path)
    await page.goto("/ideas")
    await fits_phone(page)
    assert "2 mensen zouden komen" in await page.locator("main").inner_text()
    await page.screenshot(path=shots / "ideas-list-phone.png", full_page=True)
    await page.goto(f"/ideas/{idea.id}")
    await fits_phone(page)
    await page.screenshot(path=shots / "idea-phone.png", full_page=True)
    shown = await page.content()
    assert all(secret not in shown for secret in ("Sanne", "sanne@", *SUPPORTERS))

    # The organiser turns it into an activity and publishes it.
    await organiser.goto("/organise/ideas")
    assert "2 mensen zouden komen" in await organiser.locator("main").inner_text()
    await organiser.get_by_role("link", name="Maak er een activiteit van").click()
    await organiser.wait_for_url(f"**/organise/ideas/{idea.id}/activity")
    await fits_phone(organiser)
    await organiser.get_by_role("button", name="Concept-activiteit maken").click()
    await organiser.wait_for_url("**/organise/events/*")
    await organiser.get_by_role("button", name="Publiceren").click()
    await organiser.wait_for_load_state()
    await idea.refresh_from_db()
    assert idea.event_id is not None

    # Publishing told both supporters, exactly once, with the sign-up link; the worker's
    # sweep (for supports confirmed later) finds nobody left.
    assert await ideas.notify_published_ideas(settings=settings) == 0
    await deliver(settings, port)
    event = await idea.event
    assert event.venue_id == venue.id  # the place the proposer named
    for address in SUPPORTERS:
        news = [m for m in inbox.to(address) if "gaat door" in str(m["Subject"])]
        assert len(news) == 1, address
        assert link_path(news[0], "/events/") == f"/events/{event.slug}"
    await page.goto(f"/ideas/{idea.id}")
    assert "Dit gaat door!" in await page.locator("main").inner_text()
    await page.get_by_role("link", name="Aanmelden voor de activiteit").click()
    await page.wait_for_url(f"**/events/{event.slug}")
    await page.goto(f"/ideas/{idea.id}")
    await page.screenshot(path=shots / "idea-going-ahead-phone.png", full_page=True)
    await organiser.context.close()
