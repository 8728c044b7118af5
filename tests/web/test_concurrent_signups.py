"""200 sign-ups at once over real HTTP, against real uvicorn processes (one worker on SQLite,
four on PostgreSQL), for 10 young places: exactly 10 get a place and 190 wait in a gapless
line; then 5 cancellations promote the first 5 in line, in order, and mail each of them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest

from events.models import Event, OutboxMessage, Person, Registration, RegistrationStatus
from events.services import registrations
from events.settings import Settings
from tests import factories
from tests.conftest import BACKEND

ROOT = Path(__file__).resolve().parents[2]
SIGN_UPS = 200
PLACES = 10
CANCELLATIONS = 5
WORKERS = 4 if BACKEND == "postgres" else 1

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_healthy(base_url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        for _ in range(300):  # at most ~30 s
            if process.returncode is not None:
                break
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    output = await asyncio.to_thread(log.read_text)
    raise AssertionError(f"the server did not come up:\n{output[-3000:]}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM the server's process group (uvicorn and its workers), kill it if it lingers."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout=15)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


@contextlib.contextmanager
def _log_file(path: Path) -> Iterator[BinaryIO]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        yield out


@contextlib.asynccontextmanager
async def serving(database_url: str, data_dir: Path) -> AsyncIterator[str]:
    """``python -m events serve`` on a free loopback port; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "EVENTS_DATABASE_URL": database_url,
        "EVENTS_DATA_DIR": str(data_dir),
        "EVENTS_SECRET_KEY": "x",
        "EVENTS_SIGNUP_RATE_LIMIT": "0",
        "EVENTS_SMTP_HOST": "",
    }
    log = data_dir / "server.log"
    with _log_file(log) as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "events",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base_url, process, log)
        yield base_url
    finally:
        await _stop(process)


async def _sign_up_all(base_url: str, slug: str, birth_year: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=SIGN_UPS, max_keepalive_connections=SIGN_UPS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        return list(
            await asyncio.gather(
                *(
                    http.post(
                        f"/api/events/{slug}/registrations",
                        json={
                            "first_name": f"Deelnemer {n}",
                            "email": f"person{n}@example.org",
                            "birth_year": birth_year,
                        },
                    )
                    for n in range(SIGN_UPS)
                )
            )
        )


async def _positions(event: Event) -> dict[int, int]:
    """Registration id -> waiting-list position, as the service computes it."""
    waiting = await Registration.filter(event_id=event.id, status=RegistrationStatus.WAITLISTED)
    found = {r.id: await registrations.waitlist_position(r) for r in waiting}
    return {key: value for key, value in found.items() if value is not None}


async def test_two_hundred_sign_ups_for_ten_places(db: Settings, tmp_path: Path) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, places_young=PLACES, places_older=0, places_open=0)
    birth_year = event.starts_at.year - 22

    async with serving(db.database_url, tmp_path / "server") as base_url:
        answers = await _sign_up_all(base_url, event.slug, birth_year)
    assert {a.status_code for a in answers} == {202}, {a.text for a in answers}
    assert len({a.content for a in answers}) == 1

    await event.refresh_from_db()
    assert event.taken_young == PLACES
    confirmed = await Registration.filter(event_id=event.id, status=RegistrationStatus.CONFIRMED)
    assert len(confirmed) == PLACES
    positions = await _positions(event)
    assert sorted(positions.values()) == list(range(1, SIGN_UPS - PLACES + 1))
    assert await Registration.filter(event_id=event.id).count() == SIGN_UPS

    line = sorted(positions, key=positions.__getitem__)
    for n, leaving in enumerate(confirmed[:CANCELLATIONS]):
        await registrations.cancel_registration(leaving.id, settings=db)
        promoted = await Registration.get(id=line[n])
        assert promoted.status == RegistrationStatus.CONFIRMED
        assert await Registration.get(id=line[n + 1]).values_list("status", flat=True) == (
            RegistrationStatus.WAITLISTED
        )

    mailed = await OutboxMessage.filter(kind="promoted").values_list("registration_id", flat=True)
    assert sorted(int(str(i)) for i in mailed) == sorted(line[:CANCELLATIONS])
    remaining = await _positions(event)
    assert sorted(remaining.values()) == list(range(1, SIGN_UPS - PLACES - CANCELLATIONS + 1))
    assert [remaining[i] for i in line[CANCELLATIONS:]] == sorted(remaining.values())
    await event.refresh_from_db()
    assert event.taken_young == PLACES


async def test_new_people_sign_up_for_two_activities_at_once(db: Settings, tmp_path: Path) -> None:
    """Each new address signs up for two activities in the same instant (issue 13): every
    request answers 202 and each person ends with one Person row and two places."""
    people = 60
    org = await factories.organisation()
    venue = await factories.venue(org)
    events = [await factories.event(venue, places_young=people) for _ in range(2)]
    birth_year = events[0].starts_at.year - 22
    limits = httpx.Limits(max_connections=2 * people, max_keepalive_connections=2 * people)
    async with (
        serving(db.database_url, tmp_path / "server") as base_url,
        httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http,
    ):
        answers = await asyncio.gather(
            *(
                http.post(
                    f"/api/events/{event.slug}/registrations",
                    json={
                        "first_name": f"P{n}",
                        "email": f"p{n}@example.org",
                        "birth_year": birth_year,
                    },
                )
                for n in range(people)
                for event in events
            )
        )
    assert {a.status_code for a in answers} == {202}, {a.text for a in answers}
    assert await Person.all().count() == people
    for event in events:
        assert await Registration.filter(event_id=event.id).count() == people
