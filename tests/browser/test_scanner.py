"""The scanner page in Chromium: a real ticket's QR code through the fake camera, five
check-ins made offline and synced, and one ticket scanned on two offline devices."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

from events.models import CheckIn, Event, Registration
from events.services import registrations as reg
from events.settings import Settings
from events.tickets import build_qr_png, new_code
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

TICKET_CODE = new_code()


@pytest.fixture(scope="session")
def ticket_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Y4M of a real ticket's QR code (the URL a ticket encodes), for the fake camera."""
    folder = tmp_path_factory.mktemp("camera")
    png, y4m = folder / "ticket.png", folder / "ticket.y4m"
    png.write_bytes(build_qr_png(f"http://127.0.0.1:8000/tickets/{TICKET_CODE}", box_size=8))
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(png), "-vf",
         "scale=400:-1,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=white", "-pix_fmt", "yuv420p",
         "-r", "5", "-t", "2", str(y4m)],
        check=True,
    )  # fmt: skip
    return y4m


@pytest_asyncio.fixture(scope="session")
async def camera_browser(ticket_video: Path) -> AsyncIterator[Browser]:
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={ticket_video}",
    ]
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        await chromium.close()


async def setup_event(settings: Settings, names: list[str]) -> tuple[Event, list[Registration]]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    event = await factories.event(
        venue, starts_at=start, ends_at=start + timedelta(hours=2), places_young=20
    )
    await factories.host(org, [venue], email="host@example.org")
    people = []
    for name in names:
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org", birth_year=start.year - 20
        )
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        people.append(outcome.lead)
    return event, people


async def sign_in(page: Page) -> None:
    await page.goto("/login")
    await page.fill("#f-email", "host@example.org")
    await page.fill("#f-password", factories.PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/host/")


async def open_scanner(page: Page, event: Event) -> None:
    await page.goto(f"/host/events/{event.id}/scan")
    await page.evaluate("window.door.ready")
    await page.evaluate("window.door.loaded")
    await page.wait_for_function("navigator.serviceWorker.controller !== null")


async def go_offline(context: BrowserContext) -> None:
    """Offline emulation, plus refusing the API outright: right after a reload Chromium can
    let a request through before the emulation reaches the new document."""
    await context.set_offline(True)
    await context.route("**/api/**", lambda route: route.abort("internetdisconnected"))


async def go_online(context: BrowserContext) -> None:
    await context.unroute("**/api/**")
    await context.set_offline(False)


async def type_code(page: Page, code: str, name: str) -> None:
    await page.fill("#door-code", code)
    await page.press("#door-code", "Enter")
    await page.wait_for_function(
        "([name]) => document.getElementById('door-name').textContent === name", arg=[name]
    )


async def test_fake_camera_checks_a_ticket_in(
    camera_browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (ana,) = await setup_event(settings, ["Ana"])
    await Registration.filter(id=ana.id).update(code=TICKET_CODE)
    context = await camera_browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    await context.grant_permissions(["camera"], origin=live_server)
    page = await context.new_page()
    try:
        await sign_in(page)
        await page.goto(f"/host/events/{event.id}/scan")
        await page.wait_for_selector("#door-result[data-outcome='ok']", timeout=15_000)
        assert await page.inner_text("#door-name") == "Ana"
        assert (await page.inner_text("#door-outcome")).strip()
        assert await page.evaluate("window.scanInfo.decoder") in ("jsQR", "BarcodeDetector")
        assert await CheckIn.filter(registration_id=ana.id).count() == 1
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        results = await Axe().run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, results.generate_report()
    finally:
        await context.close()


async def test_the_camera_button_stops_the_camera_while_it_runs(
    camera_browser: Browser, live_server: str, settings: Settings
) -> None:
    event, _people = await setup_event(settings, ["Ana"])
    context = await camera_browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    await context.grant_permissions(["camera"], origin=live_server)
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        button = page.locator("#door-camera-start")
        running = (
            "() => document.getElementById('door-camera-start').textContent === 'Stop de camera'"
        )
        await page.wait_for_function(running)  # allowed before: the camera starts by itself
        assert await page.evaluate("document.getElementById('door-video').srcObject !== null")
        await button.click()
        assert await button.inner_text() == "Start de camera"
        assert await page.evaluate("document.getElementById('door-video').srcObject") is None
        await button.click()
        await page.wait_for_function(running)
    finally:
        await context.close()


async def test_five_offline_check_ins_sync_as_five(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    names = ["Ana", "Bo", "Cas", "Dewi", "Eef", "Fay"]
    event, people = await setup_event(settings, names)
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await go_offline(context)
        await page.wait_for_selector("#door-network[data-online='false']")
        for person in people[:4]:
            spaced = " ".join(person.code[i : i + 4] for i in range(0, 22, 4)).lower()
            await type_code(page, spaced, person.first_name)
            assert await page.get_attribute("#door-result", "data-outcome") == "ok"
        reloaded = await page.reload()  # the page itself comes from the service worker
        assert reloaded is not None and reloaded.from_service_worker
        await page.wait_for_selector("#door-queue[data-count='4']")
        await type_code(page, people[4].code, people[4].first_name)
        await page.wait_for_selector("#door-queue[data-count='5']")
        assert await CheckIn.all().count() == 0
        await go_online(context)
        await page.wait_for_selector("#door-queue[data-count='0']", timeout=15_000)
        assert await CheckIn.filter(event_id=event.id).count() == 5
        checked = set(await CheckIn.all().values_list("registration_id", flat=True))
        assert checked == {p.id for p in people[:5]}
    finally:
        await context.close()


async def test_same_ticket_on_two_offline_devices_ends_as_one_with_a_notice(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    event, (ana,) = await setup_event(settings, ["Ana"])
    devices: list[tuple[BrowserContext, Page]] = []
    try:
        for _ in range(2):
            context = await browser.new_context(viewport=PHONE, base_url=live_server)
            page = await context.new_page()
            await sign_in(page)
            await open_scanner(page, event)
            await go_offline(context)
            devices.append((context, page))
        for _context, page in devices:
            await type_code(page, ana.code, "Ana")
            assert await page.get_attribute("#door-result", "data-outcome") == "ok"
        for context, page in devices:
            await go_online(context)
            await page.wait_for_selector("#door-queue[data-count='0']", timeout=15_000)
        assert await CheckIn.filter(registration_id=ana.id).count() == 1
        for _context, page in devices:
            notice = page.locator("#door-duplicates")
            await notice.wait_for(state="visible", timeout=15_000)
            assert "Ana" in await notice.inner_text()
        first_device = await devices[0][1].evaluate("window.door.deviceId")
        assert (await CheckIn.get(registration_id=ana.id)).device_id == first_device
    finally:
        for context, _page in devices:
            await context.close()


async def test_a_slow_network_never_keeps_the_door_waiting(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    """A check-in request that hangs is given up; the device answers from its own list and
    the scan reaches the server later, once."""
    event, (ana,) = await setup_event(settings, ["Ana"])
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    held: list[Route] = []

    async def hang(route: Route) -> None:
        held.append(route)  # never answered while the network is "slow"

    try:
        await sign_in(page)
        await open_scanner(page, event)
        await page.route("**/checkins", hang)
        await type_code(page, ana.code, "Ana")
        assert await page.get_attribute("#door-result", "data-outcome") == "ok"
        await page.wait_for_selector("#door-queue[data-count='1']")
        assert held and await CheckIn.all().count() == 0
        await page.unroute("**/checkins")  # the device gave the held request up itself
        await page.wait_for_selector("#door-queue[data-count='0']", timeout=20_000)
        assert await CheckIn.filter(registration_id=ana.id).count() == 1
    finally:
        await context.close()


async def test_check_in_by_name_shows_the_result_and_marks_the_hit_as_in(
    browser: Browser, live_server: str, settings: Settings
) -> None:
    """The name search sits far below the result panel: after a check-in the panel is
    brought into view and focused, and the hit shows "already in" instead of a button."""
    event, _people = await setup_event(settings, ["Ana", "Anouk"])
    context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    page = await context.new_page()
    in_view = """() => { const r = document.getElementById('door-result').getBoundingClientRect();
                         return r.top >= 0 && r.bottom <= window.innerHeight; }"""
    try:
        await sign_in(page)
        await open_scanner(page, event)
        await page.fill("#door-search", "an")
        ana = page.locator("#door-search-results li", has_text="Ana ")
        await ana.get_by_role("button").scroll_into_view_if_needed()
        assert not await page.evaluate(in_view)  # the premise: the panel is off-screen
        await ana.get_by_role("button").click()
        await page.wait_for_selector("#door-result[data-outcome='ok']")
        assert await page.inner_text("#door-name") == "Ana"
        assert await page.evaluate(in_view)
        assert await page.evaluate("document.activeElement.id") == "door-result"
        await ana.locator(".door-already-in").wait_for()
        assert await ana.get_by_role("button").count() == 0
        anouk = page.locator("#door-search-results li", has_text="Anouk")
        assert await anouk.get_by_role("button").count() == 1
        assert await CheckIn.filter(event_id=event.id).count() == 1
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        await context.close()
