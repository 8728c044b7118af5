"""Benchmark: sign-ups per second over HTTP, through real ``python -m events serve`` processes.

Two set-ups, each measured in the same run against a baseline on the same server, so the
ratio means something on a noisy, shared machine:

- SQLite, 1 worker (a fresh file in a temporary folder);
- PostgreSQL, 4 workers (its own database ``CREATE DATABASE bench_signup_…`` on
  127.0.0.1:5432, dropped at the end; skipped with a note when no server answers).

For each: migrate (``python -m events migrate``), create one published event with enough
young places, start the server on a free loopback port, then time ``GET /healthz`` (the
baseline: one ``SELECT 1`` per request) and ``POST /api/events/{slug}/registrations`` (distinct
emails, all confirmed), both with a fixed number of requests in flight. Prints requests per
second, p50/p99 latency and the sign-up/baseline ratio. Bounded, loopback only, stops itself.

Run: ``.venv/bin/python scripts/bench/signup.py [--requests 400] [--concurrency 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from events.db import tortoise_config
from events.models import Event, EventStatus, Organisation, Venue
from events.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Timing:
    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


@dataclass(frozen=True)
class Result:
    name: str
    workers: int
    baseline: Timing
    signups: Timing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EVENTS_DATABASE_URL": database_url,
        "EVENTS_DATA_DIR": str(data_dir),
        "EVENTS_SECRET_KEY": "bench",
        "EVENTS_SIGNUP_RATE_LIMIT": "0",
        "EVENTS_SMTP_HOST": "",
    }


async def run_command(env: dict[str, str], *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "events", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"python -m events {' '.join(args)} failed:\n{output.decode()}")


async def run_script(env: dict[str, str], *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"setting up the event failed:\n{output.decode()}")


async def create_event(places: int) -> str:
    """One published event with ``places`` young places, in the database of the environment."""
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        org = await Organisation.create(slug="bench", name="Stichting Bench")
        venue = await Venue.create(
            organisation=org, slug="bench-cafe", name="Café Bench", address="Markt 1",
            postcode="7201 AA", town="Zutphen",
        )  # fmt: skip
        start = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=7)
        event = await Event.create(
            slug="bench-signups", title="Spelletjesavond", venue=venue, organisation=org,
            starts_at=start, ends_at=start + timedelta(hours=2), status=EventStatus.PUBLISHED,
            places_young=places, published_at=start,
        )  # fmt: skip
        return event.slug
    finally:
        await Tortoise.close_connections()


@contextlib.asynccontextmanager
async def serving(env: dict[str, str], workers: int) -> AsyncIterator[str]:
    """The server on a free loopback port; SIGTERM to its process group at the end."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "events", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
            for _ in range(300):
                if process.returncode is not None:
                    raise RuntimeError("the server stopped while starting")
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the server did not answer /healthz within 30 s")
        yield base_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=15)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()


async def measure(
    base_url: str,
    requests: int,
    concurrency: int,
    send: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
) -> Timing:
    """``requests`` calls of ``send(client, n)`` with ``concurrency`` of them in flight."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(requests))

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:

        async def lane() -> None:
            for n in counter:
                began = time.perf_counter()
                response = await send(http, n)
                latencies.append(time.perf_counter() - began)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(lane() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
    return Timing(requests, seconds, latencies, statuses)


async def bench_one(
    name: str, database_url: str, workers: int, args: argparse.Namespace, data_dir: Path
) -> Result:
    env = server_env(database_url, data_dir)
    await run_command(env, "migrate")
    # Tortoise keeps per-model SQL of the first dialect it saw: set up in a fresh process.
    slug = "bench-signups"
    await run_script(env, "--create-event", str(args.requests * 2))
    birth_year = datetime.now(UTC).year - 22
    async with serving(env, workers) as base_url:
        await measure(base_url, 50, args.concurrency, lambda http, n: http.get("/healthz"))
        baseline = await measure(
            base_url, args.requests, args.concurrency, lambda http, n: http.get("/healthz")
        )
        signups = await measure(
            base_url,
            args.requests,
            args.concurrency,
            lambda http, n: http.post(
                f"/api/events/{slug}/registrations",
                json={
                    "first_name": "Bench",
                    "email": f"b{n}@example.org",
                    "birth_year": birth_year,
                },
            ),
        )
    if set(signups.statuses) != {202}:
        raise RuntimeError(f"{name}: sign-ups answered {signups.statuses}")
    return Result(name, workers, baseline, signups)


async def pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def postgres_answers() -> bool:
    try:
        await pg_admin("SELECT 1")
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


async def run(args: argparse.Namespace) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-signup-") as folder:
        root = Path(folder)
        sqlite_dir = root / "sqlite"
        sqlite_dir.mkdir()
        sqlite_url = f"sqlite://{sqlite_dir / 'events.sqlite3'}"
        results.append(await bench_one("SQLite", sqlite_url, 1, args, sqlite_dir))
        if args.no_postgres or not await postgres_answers():
            print("PostgreSQL skipped (no server on 127.0.0.1:5432 or --no-postgres).")
            return results
        name = f"bench_signup_{uuid.uuid4().hex[:10]}"
        pg_dir = root / "postgres"
        pg_dir.mkdir()
        await pg_admin(f'CREATE DATABASE "{name}"')
        try:
            pg_url = f"postgres://postgres@127.0.0.1:5432/{name}"
            results.append(await bench_one("PostgreSQL", pg_url, 4, args, pg_dir))
        finally:
            await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(f"\n{args.requests} requests each, {args.concurrency} in flight, over loopback HTTP\n")
    header = (
        f"{'database':<11} {'workers':>7} {'healthz/s':>10} {'sign-ups/s':>11} {'ratio':>6} "
        f"{'p50 ms':>7} {'p99 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = r.signups.per_second / r.baseline.per_second
        print(
            f"{r.name:<11} {r.workers:>7} {r.baseline.per_second:>10.0f} "
            f"{r.signups.per_second:>11.1f} {ratio:>6.2f} {r.signups.percentile(50):>7.1f} "
            f"{r.signups.percentile(99):>7.1f}"
        )
    print(
        "\nhealthz/s is the baseline on the same server; ratio = sign-ups/s ÷ healthz/s. "
        "p50/p99 are sign-up latencies."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--create-event", type=int, metavar="PLACES", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.create_event:
        asyncio.run(create_event(args.create_event))
        return
    report(asyncio.run(run(args)), args)


if __name__ == "__main__":
    main()
