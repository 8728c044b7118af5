"""The paper ticket prints on one A6 page in Chromium (issue 10, point 9): the PDF has one
page with a 105 × 148 mm MediaBox, the QR code is at least 30 mm wide, and the organiser's
phone number and how to cancel are on it, even with a long title and long rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Page

from events.services import registrations as reg
from events.settings import Settings
from tests import factories

MM = 72 / 25.4  # PDF points per millimetre
PX_PER_MM = 96 / 25.4  # CSS pixels per millimetre


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page of a PDF written by Chromium (Skia)."""
    count = len(re.findall(rb"/Type\s*/Page\b", pdf))
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == count, (count, boxes)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


async def test_the_paper_ticket_is_one_a6_page(
    page: Page, settings: Settings, tmp_path: Path
) -> None:
    org = await factories.organisation(name="Stichting Samen Zutphen en omstreken")
    org.email, org.contact_name, org.contact_phone = "vragen@samen.example", "Inge", "0575 123 456"
    await org.save()
    venue = await factories.venue(
        org, name="Dorpshuis De Schakel", address="Kerkstraat 112", town="Warnsveld"
    )
    event = await factories.event(
        venue,
        title="Verhalenavond: opa's en oma's vertellen over vroeger, kleinkinderen over nu",
        phone_rules=" ".join(
            ["Telefoons gaan in een zakje bij de deur en je krijgt hem terug."] * 8
        ),
    )
    outcome = await reg.sign_up(
        event.id,
        reg.SignupRequest(
            first_name="Wilhelmina", email="w@example.org", birth_year=datetime.now(UTC).year - 81
        ),
        settings=settings,
    )
    assert outcome.lead is not None
    await page.goto(f"/tickets/{outcome.lead.code}/print")
    text = await page.locator("main.a6").inner_text()
    assert "0575 123 456" in text and "Inge" in text
    assert "Kun je niet komen?" in text and "Bel 0575 123 456" in text

    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": round(95 * PX_PER_MM), "height": 900})  # A6 less margins
    qr = await page.locator(".paper-qr svg").bounding_box()
    assert qr is not None and qr["width"] / PX_PER_MM >= 30
    # Nothing that matters is cut off at the foot of the page: the contact and how to cancel.
    top = await page.locator("main.a6").bounding_box()
    contact = await page.locator(".paper-contact").bounding_box()
    assert top is not None and contact is not None
    assert (contact["y"] + contact["height"] - top["y"]) / PX_PER_MM <= 136
    await page.screenshot(path=tmp_path / "paper-ticket.png", full_page=True)
    pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "paper-ticket.pdf").write_bytes(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == 1, pages
    width, height = pages[0]
    assert abs(width - 105 * MM) <= 1.5 and abs(height - 148 * MM) <= 1.5, pages


async def test_other_pages_do_not_print_on_a6(page: Page) -> None:
    """The A6 size is a named page of the paper ticket only."""
    await page.goto("/privacy")
    pages = pdf_pages(await page.pdf(prefer_css_page_size=True))
    width, _height = pages[0]
    assert width > 150 * MM
