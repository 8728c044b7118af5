"""A volunteer door host without an account: a door pass (six characters or a link) opens
the scanner of one activity only, from an hour before the start until the end of its day,
until revoked; every check-in records the pass."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from events.models import CheckIn, DoorPass, Event, Registration, ScanAttempt
from events.services import volunteers
from tests import factories
from tests.web.helpers import post_form, soup


@pytest.fixture
async def world(app: object) -> dict[str, object]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    organiser = await factories.organiser(org)
    soon = datetime.now(UTC) + timedelta(minutes=30)
    event = await factories.event(venue, starts_at=soon, ends_at=soon + timedelta(hours=2))
    other = await factories.event(venue, starts_at=soon, ends_at=soon + timedelta(hours=2))
    ana = await Registration.create(
        event=event, code="ANACODEABCDEFG", first_name="Ana", group="young", status="confirmed"
    )
    actor = await factories.actor_of(organiser)
    door_pass = await volunteers.create_door_pass(actor, event.id, {"holder_name": "Jesse"})
    return {"event": event, "other": other, "ana": ana, "pass": door_pass, "actor": actor}


async def _redeem(client: httpx.AsyncClient, code: str) -> httpx.Response:
    return await post_form(client, "/door-pass", {"code": code}, form_page="/door-pass")


async def _scanner_csrf(client: httpx.AsyncClient, event: Event) -> str:
    page = await client.get(f"/host/events/{event.id}/scan")
    assert page.status_code == 200, page.text
    script = soup(page).find("script", id="scan-data")
    assert script is not None
    return str(json.loads(script.string or "")["csrf"])


def _scan(code: str, nonce: str) -> dict[str, object]:
    return {"code": code, "nonce": nonce, "device_id": "phone", "scanned_at": (
        datetime.now(UTC).isoformat())}  # fmt: skip


async def test_a_code_opens_the_scanner_of_its_event_and_records_the_pass(
    client: httpx.AsyncClient, world: dict[str, object]
) -> None:
    event, other, ana = world["event"], world["other"], world["ana"]
    door_pass = world["pass"]
    assert isinstance(event, Event) and isinstance(other, Event)
    assert isinstance(ana, Registration) and isinstance(door_pass, DoorPass)
    typed = door_pass.code.lower()[:3] + " " + door_pass.code.lower()[3:]  # as people type it
    assert (await _redeem(client, typed)).status_code == 303
    csrf = await _scanner_csrf(client, event)
    url = f"/api/host/events/{event.id}/checkins"
    done = await client.post(url, json=_scan(ana.code, "p1"), headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.json()["outcome"] == "ok"
    row = await CheckIn.get(registration_id=ana.id)
    assert row.door_pass_id == door_pass.id and row.staff_user_id is None
    assert (await ScanAttempt.get(nonce="p1")).door_pass_id == door_pass.id
    # nothing else: another activity, the organiser's pages, the host's home
    assert (await client.get(f"/host/events/{other.id}/scan")).status_code in (302, 303, 401)
    other_api = await client.get(f"/api/host/events/{other.id}/attendees")
    assert other_api.status_code == 401 and "Ana" not in other_api.text
    assert (await client.get(f"/organise/events/{event.id}")).status_code in (302, 303)
    # a forged request from another site has no token: refused
    forged = await client.post(url, json=_scan(ana.code, "p2"))
    assert forged.status_code == 403


async def test_the_code_is_refused_for_another_activity_before_the_window_and_once_revoked(
    client: httpx.AsyncClient, world: dict[str, object]
) -> None:
    event, door_pass, actor = world["event"], world["pass"], world["actor"]
    assert isinstance(event, Event) and isinstance(door_pass, DoorPass)
    assert (await _redeem(client, "ZZZZZZ")).status_code == 404
    later = datetime.now(UTC) + timedelta(days=3)
    event.starts_at, event.ends_at = later, later + timedelta(hours=2)
    await event.save()
    early = await _redeem(client, door_pass.code)
    assert early.status_code == 409 and "uur voor" in early.text  # an hour before the start
    assert (await client.get(f"/host/events/{event.id}/scan")).status_code != 200
    soon = datetime.now(UTC) + timedelta(minutes=10)
    event.starts_at, event.ends_at = soon, soon + timedelta(hours=2)
    await event.save()
    assert (await _redeem(client, door_pass.code)).status_code == 303
    assert (await client.get(f"/host/events/{event.id}/scan")).status_code == 200
    await volunteers.revoke_door_pass(actor, door_pass.id, now=datetime.now(UTC))  # type: ignore[arg-type]
    gone = await client.get(f"/api/host/events/{event.id}/attendees")
    assert gone.status_code == 401  # at once, on the next request
    assert (await _redeem(client, door_pass.code)).status_code == 409
