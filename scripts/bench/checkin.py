"""Benchmark: the scanner's check-in API beside a bare Starlette endpoint, in one run.

On loopback only, and it stops by itself:

1. makes a temporary data folder with a migrated SQLite database, one event with a few
   hundred registrations (through ``registrations.sign_up``) and a host account;
2. starts the real server, ``python -m events serve`` (uvicorn, one worker), signs in as the
   host through ``/login`` and takes the check-in address and CSRF token from the scanner
   page's data;
3. starts a bare Starlette app (one JSON POST endpoint, no database, no middleware) under
   uvicorn on another port;
4. one connection (one scanner, one request at a time, the door's real pace): every ticket
   scanned once in random order (first scans: check-in written), then ``--requests``
   repeat scans (``already_checked_in``); the bare endpoint gets the same number of
   requests over one connection;
5. ``--scanners`` concurrent scanners (asyncio tasks, one httpx client each, like devices),
   ``--requests`` each side, random tickets;
6. prints p50/p99 latency and requests per second for both, side by side, with the ratio.

Run: ``.venv/bin/python scripts/bench/checkin.py [--requests 1000] [--registrations 300]
[--scanners 8]``. The driver and both servers share the machine's cores, so the absolute
figures depend on what else runs; the ratio to the bare endpoint in the same run is the
comparable figure.
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


async def sign_in(base: str, event_id: int) -> tuple[httpx.Cookies, str, str]:
    """Sign in like a host's browser; return the session cookie, the page's CSRF token and
    the check-in address from the page's data."""
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
        scan_data = json.loads(data.group(1))
        return http.cookies, str(scan_data["csrf"]), str(scan_data["api"]["checkin"])


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
    scanners: int = 1,
) -> Run:
    """``scanners`` tasks share ``total`` requests; each request is timed on its own."""
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

    clients = [make_client() for _ in range(scanners)]
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
    total: int, scanners: int = 1, *, warm_up: bool = True,
) -> Run:  # fmt: skip
    if warm_up:
        await drive(make_client, path, body, WARMUP, scanners)
    return await drive(make_client, path, body, total, scanners)


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


@dataclass
class Results:
    first: Run
    repeat: Run
    bare_one: Run
    many: Run
    bare_many: Run


async def run_all(
    base: str, bare_base: str, event_id: int, codes: list[str], args: argparse.Namespace
) -> Results:
    cookies, csrf, path = await sign_in(base, event_id)
    fresh = random.sample(codes, len(codes))

    def scan(code: str | None = None) -> dict[str, object]:
        return {
            "code": code or random.choice(codes),
            "nonce": uuid.uuid4().hex,
            "device_id": "bench",
            "scanned_at": datetime.now(UTC).isoformat(),
        }

    def app_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=base, cookies=cookies, headers={"X-CSRF-Token": csrf})

    def bare_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=bare_base)

    await drive(bare_client, "/checkins", scan, WARMUP)  # both servers warm before timing
    first = await drive(app_client, path, lambda: scan(fresh.pop()), len(codes))
    repeat = await measure(app_client, path, scan, args.requests, warm_up=False)
    bare_one = await measure(bare_client, "/checkins", scan, len(codes) + args.requests)
    many = await measure(app_client, path, scan, args.requests, args.scanners)
    bare_many = await measure(bare_client, "/checkins", scan, args.requests, args.scanners)
    return Results(first, repeat, bare_one, many, bare_many)


def report(results: Results, args: argparse.Namespace) -> None:
    first, repeat, bare_one = results.first, results.repeat, results.bare_one
    print(f"{args.registrations} registrations, SQLite, 1 uvicorn worker; "
          f"{args.requests} repeat scans, bare endpoint alike (+{WARMUP} warm-up)")  # fmt: skip
    print(f"{'one connection':<40}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
    rows = (
        (f"first scans ({len(first.latencies)}, check-in written)", first),
        (f"repeat scans ({len(repeat.latencies)})", repeat),
        ("bare Starlette POST", bare_one),
    )
    for name, run in rows:
        print(f"{name:<40}{run.quantile(50):>9.2f}{run.quantile(99):>9.2f}{run.rps:>9.0f}")
    print(f"p50 first scan / bare: {first.quantile(50) / bare_one.quantile(50):.1f}x; "
          f"repeat / bare: {repeat.quantile(50) / bare_one.quantile(50):.1f}x")  # fmt: skip
    print(f"{args.scanners} scanners at once")
    for name, run in (("POST …/checkins (full app)", results.many), ("bare", results.bare_many)):
        print(f"{name:<40}{run.quantile(50):>9.2f}{run.quantile(99):>9.2f}{run.rps:>9.0f}")
    print(f"bare / check-in throughput: {results.bare_many.rps / results.many.rps:.1f}x")
    outcomes = first.outcomes + repeat.outcomes + results.many.outcomes
    print("check-in outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="repeat scans per phase")
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--scanners", type=int, default=8)
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
            results = await run_all(base, bare_base, event_id, codes, args)
        finally:
            stop(app)
            stop(bare)
    report(results, args)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--bare":
        serve_bare(int(sys.argv[2]))
    else:
        asyncio.run(main())
