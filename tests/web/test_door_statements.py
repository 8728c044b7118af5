"""The door's request path in statements: a check-in reads the ticket, checks and writes in
a handful of statements, never looks the nonce up on a first scan, asks for the table plan
only when the event has one, and loads the signed-in host once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.sqlite.client import SqliteClient

from events.models import Event, Registration, TablePlan
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup

METHODS = (
    "execute_insert",
    "execute_many",
    "execute_query",
    "execute_query_dict",
    "execute_script",
)


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement the app sends while inside (BEGIN and COMMIT not counted)."""
    seen: list[str] = []
    originals: list[tuple[type, str, Any]] = []
    for client in (SqliteClient, AsyncpgDBClient):
        for name in METHODS:
            original = client.__dict__.get(name)
            if original is None:
                continue

            def counting(self: Any, query: str, *args: Any, __original: Any = original) -> Any:
                seen.append(query)
                return __original(self, query, *args)

            originals.append((client, name, original))
            setattr(client, name, counting)
    try:
        yield seen
    finally:
        for client, name, original in originals:
            setattr(client, name, original)


def table(sql: str) -> str:
    """The table a statement is about: what it inserts into or updates, else its outermost
    FROM (the last one: a subquery's comes first)."""
    written = re.match(r'\s*(?:INSERT INTO|UPDATE) "(\w+)"', sql)
    return written.group(1) if written else re.findall(r'FROM "(\w+)"', sql)[-1]


def door_part(found: list[str]) -> list[str]:
    """The statements from the door's own event look-up on (the sign-in middleware's before)."""
    return found[found.index("event") :]


@pytest.fixture
async def door(client: httpx.AsyncClient, settings: Settings) -> dict[str, Any]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    await factories.host(org, [venue], email="host@example.org")
    codes = []
    for i in range(3):
        request = reg.SignupRequest(
            first_name=f"P{i}", email=f"p{i}@example.org", birth_year=event.starts_at.year - 20
        )
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        codes.append(outcome.lead.code)
    await sign_in(client, "host@example.org")
    page = await client.get(f"/host/events/{event.id}/scan")
    data = json.loads(soup(page).find("script", id="scan-data").string or "")  # type: ignore[union-attr]
    return {"event": event, "codes": codes, "csrf": data["csrf"], "url": data["api"]["checkin"]}


async def check_in(
    client: httpx.AsyncClient, door: dict[str, Any], code: str, nonce: str
) -> tuple[str, list[str]]:
    scan = {
        "code": code,
        "nonce": nonce,
        "device_id": "t",
        "scanned_at": datetime.now(UTC).isoformat(),
    }
    with statements() as found:
        answer = await client.post(door["url"], json=scan, headers={"X-CSRF-Token": door["csrf"]})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["outcome"]), [table(sql) for sql in found]


async def test_statements_per_check_in(client: httpx.AsyncClient, door: dict[str, Any]) -> None:
    first, code = door["codes"][0], door["codes"][1]
    outcome, found = await check_in(client, door, first, "n-1")
    print("\nfirst scan:", len(found), found)
    assert outcome == "ok"
    assert found.count("staff_user") == 1 and found.count("staff_user_venues") <= 1
    assert door_part(found) == [
        "event",  # the event, the access check and whether it has a plan: one statement
        "registration", "registration",  # lock the ticket's row, read it with its check-in
        "checkin", "registration", "scan_attempt",  # write, the party, keep the attempt
    ]  # fmt: skip
    outcome, found = await check_in(client, door, first, "n-2")
    print("repeat scan:", len(found), found)
    assert outcome == "already_checked_in"
    assert door_part(found) == [
        "event",
        "registration",
        "registration",
        "registration",
        "scan_attempt",
    ]
    outcome, found = await check_in(client, door, first, "n-2")
    print("same nonce again:", len(found), found)
    assert outcome == "already_checked_in" and door_part(found).count("scan_attempt") == 2
    outcome, found = await check_in(client, door, "NOTACODE", "n-3")
    print("unknown ticket:", len(found), found)
    assert outcome == "unknown_ticket"
    assert door_part(found) == ["event", "registration", "scan_attempt"]
    event: Event = door["event"]
    await TablePlan.create(event=event, rounds=[[[(await Registration.get(code=code)).id]]])
    outcome, found = await check_in(client, door, code, "n-4")
    print("first scan, event with a table plan:", len(found), found)
    assert outcome == "ok" and door_part(found).count("table_plan") == 1
    assert len(door_part(found)) == 7
