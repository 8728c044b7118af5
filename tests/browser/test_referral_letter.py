"""The printed invitation for people without email is one A6 page, like the paper ticket,
with the invitation link as a QR code at least 30 mm wide and the organisation's phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Page

from events.models import ContactRoute, Group, Referral
from tests import factories

MM = 72 / 25.4  # PDF points per millimetre
PX_PER_MM = 96 / 25.4  # CSS pixels per millimetre


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page of a PDF written by Chromium (Skia)."""
    count = len(re.findall(rb"/Type\s*/Page\b", pdf))
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == count, (count, boxes)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


async def test_the_invitation_letter_is_one_a6_page(page: Page, tmp_path: Path) -> None:
    org = await factories.organisation(name="Stichting Samen Zutphen en omstreken")
    org.contact_name, org.contact_phone = "Inge", "0575 123 456"
    await org.save()
    venue = await factories.venue(org, name="Bibliotheek Zutphen", address="Kuiperstraat 2")
    event = await factories.event(
        venue,
        title="Verhalentafel: jong en oud vertellen over vroeger en nu, met koffie en koek",
        phone_rules="Telefoons gaan in de mand bij de deur. " * 8,
    )
    await factories.organiser(org, email="inge@example.org")
    referral = await Referral.create(
        organisation=org,
        first_name="Gerrit",
        contact_route=ContactRoute.PHONE,
        phone="06 12345678",
        group=Group.OLDER,
        wants_buddy=True,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
        invited_event=event,
        invited_at=datetime.now(UTC),
        invitation_token="letter-token-0123456789",
    )
    await page.goto("/login?next=/organise/referrals")
    await page.fill("#f-email", "inge@example.org")
    await page.fill("#f-password", factories.PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/organise/referrals")
    await page.goto(f"/organise/referrals/{referral.id}/letter")
    text = await page.locator("main").inner_text()
    assert "Gerrit" in text and "0575 123 456" in text
    await page.screenshot(path=tmp_path / "letter.png", full_page=True)
    await page.emulate_media(media="print")
    qr = await page.locator(".paper-qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 30 * PX_PER_MM
    pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "letter.pdf").write_bytes(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == 1, pages
    width, height = pages[0]
    assert abs(width - 105 * MM) <= 1.5 and abs(height - 148 * MM) <= 1.5, pages
