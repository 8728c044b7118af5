"""Benchmark: the scanner's check-in API under 8 concurrent scanners, beside a bare endpoint.

In one run, on loopback only, and it stops by itself:

1. makes a temporary data folder with a migrated SQLite database, one event with a few
   hundred registrations (through ``registrations.sign_up``) and a host account;
2. starts the real server, ``python -m events serve`` (uvicorn, one worker), signs in as the
   host through ``/login`` and reads the CSRF token from the scanner page;
3. 8 scanners (asyncio tasks, one httpx client each, like 8 devices) POST
   ``/api/host/events/{id}/checkins`` with a fresh nonce each, random tickets: the first
   scan of a ticket checks it in, later ones answer ``already_checked_in``;
4. starts a bare Starlette app (one JSON POST endpoint, no database, no middleware) under
   uvicorn on another port and drives it with the same 8-scanner driver;
5. prints requests per second and p50/p99 latency for both, and their ratio.

Run: ``.venv/bin/python scripts/bench/checkin.py [--requests 2000] [--registrations 300]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SCANNERS = 8
WARMUP = 40
PASSWORD = "bench password 123"
HOST_EMAIL = "host@bench.example"


# --- the bare endpoint (run in its own process: ``checkin.py --bare PORT``) ---------------


def serve_bare(port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def checkin(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"outcome": "ok", "nonce": body.get("nonce")})

    app = Starlette(routes=[Route("/checkins", checkin, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# --- setting up ---------------------------------------------------------------------------


async def load(data_dir: Path, database_url: str, n_people: int) -> tuple[int, list[str]]:
    """Migrate, then one event, a host and ``n_people`` sign-ups made by the service layer."""
    from tortoise import Tortoise

    from events.db import migrate_database, tortoise_config
    from events.models import Event, EventStatus, Organisation, Role, Venue
    from events.services import registrations
    from events.services.staff import create_user
    from events.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=database_url, secret_key="bench")
    await migrate_database(settings)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        org = await Organisation.create(slug="bench", name="Stichting Bench")
        venue = await Venue.create(
            organisation=org, slug="dorpshuis", name="Dorpshuis", address="Markt 1",
            postcode="7201 AA", town="Zutphen",
        )  # fmt: skip
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
        event = await Event.create(
            slug="bench", title="Spelletjesavond", venue=venue, organisation=org,
            starts_at=start, ends_at=start + timedelta(hours=3), status=EventStatus.PUBLISHED,
            places_young=n_people, places_older=n_people,
        )  # fmt: skip
        await create_user(HOST_EMAIL, PASSWORD, role=Role.HOST, organisation=org, venues=[venue])
        codes = []
        for i in range(n_people):
            request = registrations.SignupRequest(
                first_name=f"Deelnemer{i}", email=f"p{i}@bench.example",
                birth_year=start.year - (20 if i % 2 else 75),
            )  # fmt: skip
            outcome = await registrations.sign_up(event.id, request, settings=settings)
            assert outcome.lead is not None
            codes.append(outcome.lead.code)
        return event.id, codes
    finally:
        await Tortoise.close_connections()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            try:
                await http.get(url, timeout=1)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


async def sign_in(base: str, event_id: int) -> tuple[httpx.Cookies, str]:
    """Sign in like a host's browser; return the session cookie and the page's CSRF token."""
    async with httpx.AsyncClient(base_url=base) as http:
        form = await http.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert match, "no CSRF field on /login"
        done = await http.post(
            "/login",
            data={"email": HOST_EMAIL, "password": PASSWORD, "csrf_token": match.group(1)},
        )
        assert done.status_code == 303, done.status_code
        page = await http.get(f"/host/events/{event_id}/scan")
        data = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>',
                         page.text, re.S)  # fmt: skip
        assert data, page.status_code
        return http.cookies, str(json.loads(data.group(1))["csrf"])


# --- the driver ---------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float]
    seconds: float
    outcomes: Counter[str]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


async def drive(
    make_client: Callable[[], httpx.AsyncClient],
    path: str,
    body: Callable[[], dict[str, object]],
    total: int,
) -> Run:
    """``SCANNERS`` tasks share ``total`` requests; each request is timed on its own."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    remaining = total

    async def scanner(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = time.perf_counter()
            response = await client.post(path, json=body())
            latencies.append(time.perf_counter() - began)
            assert response.status_code == 200, (response.status_code, response.text[:200])
            outcomes[str(response.json().get("outcome"))] += 1

    clients = [make_client() for _ in range(SCANNERS)]
    try:
        began = time.perf_counter()
        await asyncio.gather(*(scanner(client) for client in clients))
        seconds = time.perf_counter() - began
    finally:
        for client in clients:
            await client.aclose()
    return Run(latencies, seconds, outcomes)


async def measure(
    make_client: Callable[[], httpx.AsyncClient], path: str, body: Callable[[], dict[str, object]],
    total: int,
) -> Run:  # fmt: skip
    await drive(make_client, path, body, WARMUP)
    return await drive(make_client, path, body, total)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="check-ins per endpoint")
    parser.add_argument("--registrations", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        database_url = f"sqlite://{data_dir / 'bench.sqlite3'}"
        event_id, codes = await load(data_dir, database_url, args.registrations)
        app_port, bare_port = free_port(), free_port()
        env = {
            **os.environ,
            "EVENTS_DATA_DIR": str(data_dir),
            "EVENTS_DATABASE_URL": database_url,
            "EVENTS_SECRET_KEY": "bench-secret",
            "EVENTS_BASE_URL": f"http://127.0.0.1:{app_port}",
        }
        python = sys.executable
        app = start([python, "-m", "events", "serve", "--port", str(app_port)], env,
                    data_dir / "serve.log")  # fmt: skip
        bare = start([python, __file__, "--bare", str(bare_port)], env, data_dir / "bare.log")
        try:
            base = f"http://127.0.0.1:{app_port}"
            bare_base = f"http://127.0.0.1:{bare_port}"
            await wait_until_up(f"{base}/healthz", app)
            await wait_until_up(f"{bare_base}/", bare)
            cookies, csrf = await sign_in(base, event_id)

            def scan() -> dict[str, object]:
                return {
                    "code": random.choice(codes),
                    "nonce": uuid.uuid4().hex,
                    "device_id": "bench",
                    "scanned_at": datetime.now(UTC).isoformat(),
                }

            def app_client() -> httpx.AsyncClient:
                return httpx.AsyncClient(
                    base_url=base, cookies=cookies, headers={"X-CSRF-Token": csrf}
                )

            def bare_client() -> httpx.AsyncClient:
                return httpx.AsyncClient(base_url=bare_base)

            path = f"/api/host/events/{event_id}/checkins"
            checkin = await measure(app_client, path, scan, args.requests)
            plain = await measure(bare_client, "/checkins", scan, args.requests)
        finally:
            stop(app)
            stop(bare)

    print(f"{SCANNERS} concurrent scanners, {args.requests} requests each side "
          f"(+{WARMUP} warm-up), {args.registrations} registrations, "
          "SQLite, 1 uvicorn worker")  # fmt: skip
    print(f"{'endpoint':<36}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, run in (("POST …/checkins (full app)", checkin), ("bare Starlette POST", plain)):
        print(f"{name:<36}{run.rps:>9.0f}{run.quantile(50):>9.1f}{run.quantile(99):>9.1f}")
    print(f"bare / check-in throughput: {plain.rps / checkin.rps:.1f}x")
    print("check-in outcomes: " + ", ".join(f"{k} {v}" for k, v in checkin.outcomes.items()))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--bare":
        serve_bare(int(sys.argv[2]))
    else:
        asyncio.run(main())
