"""Faults at the door's API: one bad or failing scan in a batch never blocks the others, an
unexpected error answers JSON (not an HTML page), and numbers past the id columns are a 4xx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from events.models import CheckIn, Event
from events.services import door as door_service
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup


@pytest.fixture
async def door(client: httpx.AsyncClient, settings: Settings) -> dict[str, Any]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    await factories.host(org, [venue], email="host@example.org")
    codes = []
    for name in ("Ana", "Bo", "Cas"):
        request = reg.SignupRequest(
            first_name=name, email=f"{name}@example.org", birth_year=event.starts_at.year - 20
        )
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        codes.append(outcome.lead.code)
    await sign_in(client, "host@example.org")
    page = await client.get(f"/host/events/{event.id}/scan")
    data = json.loads(soup(page).find("script", id="scan-data").string or "")  # type: ignore[union-attr]
    return {"event": event, "codes": codes, "headers": {"X-CSRF-Token": data["csrf"]}}


def breaking_on(nonce: str) -> Any:
    """``door.check_in`` that fails unexpectedly for one nonce (a bug, a lost connection)."""
    real = door_service.check_in

    async def check_in(actor: Any, event_id: int, scan: Any, **kw: Any) -> Any:
        if scan.nonce == nonce:
            raise RuntimeError("boom")
        return await real(actor, event_id, scan, **kw)

    return check_in


async def test_one_failing_scan_never_blocks_the_batch(
    client: httpx.AsyncClient, door: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    event: Event = door["event"]
    ana, bo, cas = door["codes"]
    monkeypatch.setattr(door_service, "check_in", breaking_on("b"))
    scans: list[object] = [
        {"code": ana, "nonce": "a", "device_id": "t"},
        {"code": bo, "nonce": "b", "device_id": "t"},
        "not a scan",
        {"code": cas, "nonce": "c", "device_id": "t", "scanned_at": "0001-01-01T00:00:00"},
        {"code": cas, "nonce": "d", "device_id": "t", "registration_id": 2**40},
        {"nonce": ["x"], "device_id": {"deep": [[[[]]]]}},
    ]
    answer = await client.post(
        f"/api/host/events/{event.id}/checkins/batch",
        json={"scans": scans},
        headers=door["headers"],
    )
    assert answer.status_code == 200, answer.text
    outcomes = [r["outcome"] for r in answer.json()["results"]]
    assert outcomes == [
        "ok",
        "server_error",
        "invalid_input",
        "ok",
        "invalid_input",
        "invalid_input",
    ]
    assert answer.json()["results"][4]["fields"] == {"registration_id": "out_of_range"}
    assert await CheckIn.filter(event_id=event.id).count() == 2
    monkeypatch.undo()
    again = await client.post(
        f"/api/host/events/{event.id}/checkins/batch",
        json={"scans": scans[1:2]},
        headers=door["headers"],
    )
    assert again.json()["results"][0]["outcome"] == "ok"  # sent again later, it goes through


async def test_an_unexpected_error_answers_json(
    client: httpx.AsyncClient, door: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    event: Event = door["event"]
    monkeypatch.setattr(door_service, "check_in", breaking_on("x"))
    scan = {"code": door["codes"][0], "nonce": "x", "device_id": "t"}
    answer = await client.post(
        f"/api/host/events/{event.id}/checkins", json=scan, headers=door["headers"]
    )
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"]["code"] == "server_error"
    assert "content-security-policy" in answer.headers


async def test_numbers_past_the_id_columns_are_not_found(
    client: httpx.AsyncClient, door: dict[str, Any]
) -> None:
    event: Event = door["event"]
    base = f"/api/host/events/{event.id}"
    for method, path in (
        ("POST", f"{base}/checkins/{2**31}/undo"),
        ("POST", f"{base}/checkins/{2**63}/pouch"),
        ("POST", f"{base}/walkins/{2**40}/admit"),
        ("GET", f"/api/host/events/{2**31}/attendees"),
        ("GET", f"/api/host/events/{2**64}/search?q=a"),
    ):
        body = {"pouch": "1", "nonce": "n", "device_id": "t"} if method == "POST" else None
        answer = await client.request(method, path, json=body, headers=door["headers"])
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["error"]["code"] == "not_found"
