"""SQL statements per request, in process: httpx's ASGITransport against ``create_app`` on a
temporary SQLite file with the demo data, every Tortoise execute method wrapped.

Counts what the app sends through Tortoise (BEGIN/COMMIT/SAVEPOINT are not counted, as in
``tests/web/test_door_statements.py``) for each workload of issue 14, after one warm-up
request of the same kind, and names the table of each statement.

Run: ``.venv/bin/python scripts/bench/_queries.py [--sql]`` (a Markdown table; ``--sql``
also prints each statement).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from tortoise import Tortoise
from tortoise.backends.sqlite.client import SqliteClient

from events.app import create_app
from events.db import migrate_database, tortoise_config
from events.models import Event, EventStatus, Registration, RegistrationStatus, Venue
from events.services.demo import DEMO_PASSWORD, HOST_EMAIL, load_demo
from events.settings import Settings

METHODS = ("execute_insert", "execute_many", "execute_query", "execute_query_dict")


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []
    originals = []
    classes = [SqliteClient, *SqliteClient.__subclasses__()]
    for client in classes:
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
    written = re.match(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"', sql)
    if written:
        return written.group(0).split()[0].lower() + " " + written.group(1)
    found = re.findall(r'FROM "(\w+)"', sql)
    return found[-1] if found else sql.split()[0].lower()


async def setup(settings: Settings) -> dict[str, Any]:
    await migrate_database(settings)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        await load_demo(timezone=settings.timezone)
        venue = await Venue.get(slug="cafe-de-zwaan")
        start = datetime.now(UTC).replace(microsecond=0)
        door = await Event.create(
            slug="bench-door", title="Deur", venue=venue, organisation_id=venue.organisation_id,
            starts_at=start, ends_at=start.replace(hour=23), status=EventStatus.PUBLISHED,
            published_at=start, places_young=100,
        )  # fmt: skip
        first = await Event.filter(status=EventStatus.PUBLISHED).exclude(id=door.id).first()
        assert first is not None
        return {"event": first.slug, "door": door.id}
    finally:
        await Tortoise.close_connections()


async def measure(
    name: str, send: Callable[[], Awaitable[httpx.Response]], rows: list[tuple[str, Any, int]]
) -> None:
    await send()  # warm-up: the same kind of request once
    with statements() as seen:
        response = await send()
    assert response.status_code < 400, (name, response.status_code, response.text[:300])
    rows.append((name, [table(sql) for sql in seen], len(response.content)))
    if "--sql" in sys.argv:
        print(f"\n{name}:\n" + "\n".join(f"  {sql[:300]}" for sql in seen))


async def main() -> None:
    rows: list[tuple[str, Any, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder), database_url=f"sqlite://{folder}/q.sqlite3",
            secret_key="bench", signup_rate_limit=0, run_worker_in_process=False,
        )  # fmt: skip
        found = await setup(settings)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            base = "http://127.0.0.1:8000"
            async with httpx.AsyncClient(transport=transport, base_url=base) as http:
                await measure("event page", lambda: http.get(f"/events/{found['event']}"), rows)
                await measure("home page (demo data)", lambda: http.get("/"), rows)
                year = datetime.now(UTC).year - 22

                def sign_up() -> Awaitable[httpx.Response]:
                    body = {"first_name": "Q", "email": f"{uuid.uuid4().hex}@example.org",
                            "birth_year": year}  # fmt: skip
                    return http.post("/api/events/bench-door/registrations", json=body)

                await measure("sign-up (JSON API)", sign_up, rows)
                for _ in range(3):
                    await sign_up()
                await measure("calendar.ics", lambda: http.get("/calendar.ics"), rows)
                tag = (await http.get("/calendar.ics")).headers.get("etag", "")
                await measure(
                    "calendar.ics answered 304",
                    lambda: http.get("/calendar.ics", headers={"If-None-Match": tag}),
                    rows,
                )
            async with httpx.AsyncClient(transport=transport, base_url=base) as host:
                await check_in(host, app, found["door"], rows)
    print("| request | statements | tables, in order | body bytes |")
    print("| --- | --- | --- | --- |")
    for name, tables, size in rows:
        counted = Counter(tables)
        summary = ", ".join(f"{t} ×{n}" if n > 1 else t for t, n in counted.items())
        print(f"| {name} | {len(tables)} | {summary} | {size:,} |")


async def check_in(
    host: httpx.AsyncClient, app: Any, door_id: int, rows: list[tuple[str, Any, int]]
) -> None:
    login = await host.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token
    done = await host.post(
        "/login",
        data={"email": HOST_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
    )
    assert done.status_code == 303, done.status_code
    page = (await host.get(f"/host/events/{door_id}/scan")).text
    csrf = re.search(r'"csrf":\s*"([^"]+)"', page)
    assert csrf
    codes = iter(
        await Registration.filter(
            event_id=door_id, status=RegistrationStatus.CONFIRMED
        ).values_list("code", flat=True)
    )
    path = str(app.url_path_for("door_checkin", event_id=door_id))

    def scan() -> Awaitable[httpx.Response]:
        body = {"code": next(codes), "nonce": uuid.uuid4().hex, "device_id": "q",
                "scanned_at": datetime.now(UTC).isoformat()}  # fmt: skip
        return host.post(path, json=body, headers={"X-CSRF-Token": csrf.group(1)})

    await measure("check-in (first scan)", scan, rows)
    answer = json.loads((await scan()).text)
    assert answer.get("outcome") == "ok", answer


if __name__ == "__main__":
    asyncio.run(main())
