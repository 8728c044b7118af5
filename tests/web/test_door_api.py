"""The door over HTTP: the scanner page, the host home counts, and the scanner's JSON API
(scope, CSRF, idempotent check-ins, batch sync, walk-ins, undo, pouches)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from events.models import CheckIn, Event, Registration, ScanAttempt
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup


@pytest.fixture
async def door(client: httpx.AsyncClient, settings: Settings) -> dict[str, object]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    other_venue = await factories.venue(org)
    event = await factories.event(venue, title="Spelletjesavond", places_older=1)
    await factories.host(org, [venue], email="host@example.org")
    await factories.host(org, [other_venue], email="elsewhere@example.org")
    await factories.organiser(org, email="own@example.org")
    await factories.organiser(await factories.organisation(), email="other@example.org")
    people = []
    for name, age in (("Ana", 20), ("Bo", 22), ("Cor", 80)):
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org",
            birth_year=event.starts_at.year - age,
        )  # fmt: skip
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        people.append(outcome.lead)
    return {"event": event, "people": people}


async def page_data(client: httpx.AsyncClient, event: Event) -> dict[str, object]:
    page = await client.get(f"/host/events/{event.id}/scan")
    assert page.status_code == 200, page.text
    script = soup(page).find("script", id="scan-data")
    assert script is not None
    data: dict[str, object] = json.loads(script.string or "")
    return data


def scan(code: str, nonce: str, device: str = "tablet", minutes: int = 0) -> dict[str, object]:
    at = datetime.now(UTC) - timedelta(minutes=30 - minutes)
    return {"code": code, "nonce": nonce, "device_id": device, "scanned_at": at.isoformat()}


async def test_host_checks_in_through_the_api_with_the_page_token(
    client: httpx.AsyncClient, door: dict[str, object]
) -> None:
    event, (ana, *_rest) = door["event"], door["people"]  # type: ignore[misc]
    assert isinstance(event, Event) and isinstance(ana, Registration)
    await sign_in(client, "host@example.org")
    data = await page_data(client, event)
    url = f"/api/host/events/{event.id}/checkins"
    refused = await client.post(url, json=scan(ana.code, "n1"))
    assert refused.status_code == 403
    headers = {"X-CSRF-Token": str(data["csrf"])}
    first = await client.post(url, json=scan(ana.code, "n1"), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["outcome"] == "ok"
    assert first.json()["attendee"]["first_name"] == "Ana"
    assert first.headers["cache-control"] == "no-store"
    again = await client.post(url, json=scan(ana.code, "n1", minutes=5), headers=headers)
    assert again.json()["outcome"] == "ok" and again.json()["replayed"] is True
    assert await ScanAttempt.all().count() == 1
    bad = await client.post(url, json={"code": ana.code, "nonce": ""}, headers=headers)
    assert bad.status_code == 422 and "nonce" in bad.json()["error"]["fields"]
    home = await client.get("/host/")
    assert f"/host/events/{event.id}/scan" in home.text
    total = soup(home).select_one(".door-counts tfoot")
    assert total is not None and [td.text for td in total.find_all("td")] == ["3", "1"]


async def test_only_hosts_of_the_venue_and_own_organisers(
    client: httpx.AsyncClient, door: dict[str, object]
) -> None:
    event, (ana, *_rest) = door["event"], door["people"]  # type: ignore[misc]
    assert isinstance(event, Event) and isinstance(ana, Registration)
    base = f"/api/host/events/{event.id}"
    anonymous = await client.get(f"{base}/attendees")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "login_required"
    for email in ("elsewhere@example.org", "other@example.org"):
        await sign_in(client, email)
        assert (await client.get(f"/host/events/{event.id}/scan")).status_code == 404
        token = await client.get("/host/")
        csrf = str(soup(token).find("input", attrs={"name": "csrf_token"})["value"])  # type: ignore[index]
        for response in (
            await client.get(f"{base}/attendees"),
            await client.get(f"{base}/search?q=an"),
            await client.post(
                f"{base}/checkins",
                json=scan(ana.code, f"x-{email}"),
                headers={"X-CSRF-Token": csrf},
            ),
        ):
            assert response.status_code == 404, (email, response.text)
            assert response.json()["error"]["code"] == "not_found"
            assert "Ana" not in response.text
        await client.post("/logout", data={"csrf_token": csrf})
    assert await ScanAttempt.all().count() == 0
    await sign_in(client, "own@example.org")
    listing = await client.get(f"{base}/attendees")
    assert listing.status_code == 200
    body = listing.json()
    assert body["expires_at"] == (event.ends_at + timedelta(hours=6)).isoformat()
    assert {a["first_name"] for a in body["attendees"]} == {"Ana", "Bo", "Cor"}
    assert "@" not in listing.text and ana.code not in listing.text


async def test_batch_sync_answers_each_scan_and_earliest_wins(
    client: httpx.AsyncClient, door: dict[str, object]
) -> None:
    event, (ana, bo, _cor) = door["event"], door["people"]  # type: ignore[misc]
    assert isinstance(event, Event)
    await sign_in(client, "host@example.org")
    headers = {"X-CSRF-Token": str((await page_data(client, event))["csrf"])}
    url = f"/api/host/events/{event.id}/checkins/batch"
    scans = [
        scan(ana.code, "a-late", device="phone-b", minutes=9),
        scan(ana.code, "a-early", device="phone-a", minutes=2),
        scan(bo.code.lower(), "b-1", device="phone-a", minutes=3),
        scan("NOT A CODE", "u-1", device="phone-a", minutes=4),
        {"nonce": "broken", "scanned_at": "yesterday", "device_id": "phone-a"},
    ]
    answer = await client.post(url, json={"scans": scans}, headers=headers)
    assert answer.status_code == 200, answer.text
    outcomes = [(r["nonce"], r["outcome"]) for r in answer.json()["results"]]
    assert outcomes == [
        ("a-late", "ok"),
        ("a-early", "ok"),
        ("b-1", "ok"),
        ("u-1", "unknown_ticket"),
        ("broken", "invalid_input"),
    ]
    assert answer.json()["results"][1]["superseded"]["device_id"] == "phone-b"
    row = await CheckIn.get(registration_id=ana.id)
    assert row.device_id == "phone-a"
    assert await CheckIn.all().count() == 2
    again = await client.post(url, json={"scans": scans[:4]}, headers=headers)
    assert [r["outcome"] for r in again.json()["results"]] == [o for _, o in outcomes[:4]]
    assert all(r["replayed"] for r in again.json()["results"])
    assert await ScanAttempt.all().count() == 4
    for device in ("phone-a", "phone-b"):
        dupes = await client.get(f"/api/host/events/{event.id}/duplicates?device_id={device}")
        assert [d["first_name"] for d in dupes.json()["duplicates"]] == ["Ana"]
    not_a_list = await client.post(url, json={"scans": "no"}, headers=headers)
    assert not_a_list.status_code == 422


async def test_walk_in_undo_pouch_checkout_and_search(
    client: httpx.AsyncClient, door: dict[str, object]
) -> None:
    event, (ana, _bo, _cor) = door["event"], door["people"]  # type: ignore[misc]
    assert isinstance(event, Event)
    await sign_in(client, "host@example.org")
    headers = {"X-CSRF-Token": str((await page_data(client, event))["csrf"])}
    base = f"/api/host/events/{event.id}"
    walk = {"first_name": "Dirk", "group": "older", "nonce": "w1", "device_id": "t"}
    full = await client.post(f"{base}/walkins", json=walk, headers=headers)
    assert full.status_code == 200, full.text
    assert full.json()["outcome"] == "waitlisted"  # one older place, Cor has it
    dirk = full.json()["attendee"]["registration_id"]
    admitted = await client.post(
        f"{base}/walkins/{dirk}/admit", json={"nonce": "w2", "device_id": "t"}, headers=headers
    )
    assert admitted.json()["outcome"] == "ok"
    pouch = await client.post(f"{base}/checkins/{dirk}/pouch", json={"pouch": "7"}, headers=headers)
    assert pouch.status_code == 200
    out = await client.get(f"{base}/pouches")
    assert [(p["first_name"], p["pouch"]) for p in out.json()["pouches"]] == [("Dirk", "7")]
    back = await client.post(f"{base}/checkins/{dirk}/checkout", json={}, headers=headers)
    assert back.status_code == 200
    assert (await client.get(f"{base}/pouches")).json()["pouches"] == []
    await client.post(f"{base}/checkins", json=scan(ana.code, "a", minutes=29), headers=headers)
    undone = await client.post(f"{base}/checkins/{ana.id}/undo", json={}, headers=headers)
    assert undone.status_code == 200
    twice = await client.post(f"{base}/checkins/{ana.id}/undo", json={}, headers=headers)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_checked_in"
    found = await client.get(f"{base}/search", params={"q": "DI"})
    assert [a["first_name"] for a in found.json()["attendees"]] == ["Dirk"]
    form = await client.post(f"{base}/walkins", data={"first_name": "X"}, headers=headers)
    assert form.status_code == 415


async def test_service_worker_is_served_for_the_host_scope(client: httpx.AsyncClient) -> None:
    response = await client.get("/host/sw.js")
    assert response.status_code == 200
    assert response.headers["service-worker-allowed"] == "/host/"
    assert response.headers["content-type"].startswith("text/javascript")
