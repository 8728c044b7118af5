"""What an offline device needs from the door's API: the attendee list only when it changed
(ETag / 304), walk-ins that keep the time they were added and count once, and namesakes told
apart in the name search."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from events.models import CheckIn, Event, Registration
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup


@pytest.fixture
async def event(client: httpx.AsyncClient, settings: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, places_older=1)
    await factories.host(org, [venue], email="host@example.org")
    for name, email in (("Noor", "noor1@example.org"), ("Noor", "noor2@example.org")):
        request = reg.SignupRequest(
            first_name=name, email=email, birth_year=event.starts_at.year - 20
        )
        await reg.sign_up(event.id, request, settings=settings)
    return event


async def csrf(client: httpx.AsyncClient, event: Event) -> dict[str, str]:
    await sign_in(client, "host@example.org")
    page = await client.get(f"/host/events/{event.id}/scan")
    script = soup(page).find("script", id="scan-data")
    assert script is not None
    data = json.loads(script.string or "")
    assert data["api"]["undo"].endswith("/checkins/{id}/undo")
    return {"X-CSRF-Token": str(data["csrf"])}


async def test_the_list_is_sent_again_only_when_it_changed(
    client: httpx.AsyncClient, event: Event
) -> None:
    headers = await csrf(client, event)
    base = f"/api/host/events/{event.id}"
    first = await client.get(f"{base}/attendees")
    etag = first.headers["etag"]
    assert etag == f'"{first.json()["version"]}"'
    same = await client.get(f"{base}/attendees", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["cache-control"] == "no-store"
    noor = first.json()["attendees"][0]
    scan = {"registration_id": noor["registration_id"], "nonce": "n1", "device_id": "t"}
    await client.post(f"{base}/checkins", json=scan, headers=headers)
    changed = await client.get(f"{base}/attendees", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


async def test_a_walk_in_synced_late_keeps_its_time_and_counts_once(
    client: httpx.AsyncClient, event: Event
) -> None:
    headers = await csrf(client, event)
    url = f"/api/host/events/{event.id}/walkins"
    added = (datetime.now(UTC) - timedelta(minutes=12)).replace(microsecond=0)
    walk = {
        "first_name": "Piet", "group": "older", "nonce": "w-1", "device_id": "t",
        "scanned_at": added.isoformat(),
    }  # fmt: skip
    first = await client.post(url, json=walk, headers=headers)
    again = await client.post(url, json=walk, headers=headers)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["outcome"] == "ok" and again.json()["replayed"] is True
    assert datetime.fromisoformat(first.json()["checked_in_at"]) == added
    assert await Registration.filter(first_name="Piet").count() == 1
    assert await CheckIn.filter(event_id=event.id).count() == 1
    full = await client.post(
        url, json={**walk, "nonce": "w-2", "first_name": "Kees"}, headers=headers
    )
    assert full.json()["outcome"] == "waitlisted"  # the one older place is Piet's
    bad = await client.post(
        url, json={**walk, "nonce": "w-3", "scanned_at": "gisteren"}, headers=headers
    )
    assert bad.status_code == 422 and "scanned_at" in bad.json()["error"]["fields"]


async def test_the_name_search_tells_namesakes_apart(
    client: httpx.AsyncClient, event: Event
) -> None:
    await csrf(client, event)
    found = await client.get(f"/api/host/events/{event.id}/search", params={"q": "noor"})
    hits = found.json()["attendees"]
    assert [h["first_name"] for h in hits] == ["Noor", "Noor"]
    codes = await Registration.filter(event_id=event.id).values_list("code", flat=True)
    assert {h["code_tail"] for h in hits} == {str(code)[-4:] for code in codes}
