"""Fault script: a sign-up storm against four uvicorn workers on PostgreSQL, with one worker
killed (``kill -9``) in the middle of it. Bounded, loopback only, stops itself.

What it does:

1. creates its own database ``faults_…`` on 127.0.0.1:5432 (dropped at the end), migrates it
   and creates one published activity with ``--places`` young places;
2. starts ``python -m events serve --workers 4`` on a free loopback port;
3. sends ``--requests`` sign-ups (distinct addresses) with ``--concurrency`` in flight, and
   after a third of them ``kill -9`` one worker process (uvicorn's supervisor starts a new
   one);
4. every request that got no answer (its connection died with the worker) is sent again,
   the same body, up to three times: a sign-up is safe to repeat because one address never
   gets a second place;
5. reads the database and prints: confirmed, waiting, overbooked (must be 0), duplicate
   waiting-list positions (must be 0), duplicate people (must be 0), requests without an
   answer, and whether each was retried safely (answered 202, exactly one registration).

Exit status 0 when every invariant holds, 1 otherwise.
Run: ``.venv/bin/python scripts/bench/faults.py [--requests 600] [--places 150]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PG = "postgresql://postgres@127.0.0.1:5432"
SLUG = "storm"
DEADLINE = 240.0  # seconds for the whole storm, retries included


@dataclass
class Outcome:
    """What happened to one sign-up: its first answer, or the retries it needed."""

    email: str
    first_status: int | None = None
    first_error: str = ""
    retries: list[str] = field(default_factory=list)
    final_status: int | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(f"{PG}/postgres", timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def environment(database: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EVENTS_DATABASE_URL": f"{PG}/{database}",
        "EVENTS_DATA_DIR": str(data_dir),
        "EVENTS_SECRET_KEY": "faults",
        "EVENTS_SIGNUP_RATE_LIMIT": "0",
        "EVENTS_SMTP_HOST": "",
    }


async def create_event(places: int) -> None:
    """One published activity with ``places`` young places, in the environment's database
    (runs in its own process: ``--create-event``)."""
    from tortoise import Tortoise

    from events.db import tortoise_config
    from events.models import Event, EventStatus, Organisation, Venue
    from events.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings.from_env()), _enable_global_fallback=True)
    try:
        org = await Organisation.create(slug="faults", name="Stichting Storm")
        venue = await Venue.create(
            organisation=org, slug="storm-cafe", name="Café Storm", address="Markt 1",
            postcode="7201 AA", town="Zutphen",
        )  # fmt: skip
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
        await Event.create(
            slug=SLUG, title="Storm", venue=venue, organisation=org, starts_at=start,
            ends_at=start + timedelta(hours=2), status=EventStatus.PUBLISHED,
            places_young=places, published_at=start,
        )  # fmt: skip
    finally:
        await Tortoise.close_connections()


async def in_process(env: dict[str, str], *args: str) -> None:
    """Run a command (``-m events …`` or this script) with the faults environment."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{output.decode()}")


def worker_pids(master: int) -> list[int]:
    """The uvicorn worker processes: children of the supervisor started by multiprocessing
    (not its resource tracker)."""
    done = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(master)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [int(line.split()[0]) for line in done.stdout.splitlines() if "spawn_main" in line]


@contextlib.asynccontextmanager
async def serving(env: dict[str, str], workers: int):  # type: ignore[no-untyped-def]
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "events.app:app_from_env", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", cwd=ROOT, env=env, start_new_session=True,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the server did not answer /healthz within 30 s")
        for _ in range(100):  # every worker up
            if len(worker_pids(process.pid)) >= workers:
                break
            await asyncio.sleep(0.1)
        yield base_url, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=15)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()


async def storm(
    base_url: str, master: int, args: argparse.Namespace
) -> tuple[list[Outcome], int | None]:
    """The sign-ups, the kill -9 a third of the way in, and the retries."""
    year = datetime.now(UTC).year - 22
    outcomes = [Outcome(f"storm{n}@example.org") for n in range(args.requests)]
    pending = iter(outcomes)
    sent = 0
    killed: int | None = None
    limits = httpx.Limits(max_connections=args.concurrency)
    started = time.monotonic()

    async def post(http: httpx.AsyncClient, outcome: Outcome) -> int:
        body = {"first_name": "Storm", "email": outcome.email, "birth_year": year}
        response = await http.post(f"/api/events/{SLUG}/registrations", json=body)
        return response.status_code

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as http:

        async def lane() -> None:
            nonlocal sent, killed
            for outcome in pending:
                if time.monotonic() - started > DEADLINE:
                    return
                sent += 1
                if killed is None and sent >= args.requests // 3:
                    victims = worker_pids(master)
                    if victims:
                        killed = victims[0]
                        os.kill(killed, signal.SIGKILL)
                try:
                    outcome.first_status = await post(http, outcome)
                    outcome.final_status = outcome.first_status
                except httpx.TransportError as exc:
                    outcome.first_error = type(exc).__name__
                    await retry(http, outcome)

        async def retry(http: httpx.AsyncClient, outcome: Outcome) -> None:
            for attempt in range(3):
                await asyncio.sleep(0.2 * (attempt + 1))
                try:
                    outcome.final_status = await post(http, outcome)
                    outcome.retries.append(str(outcome.final_status))
                    return
                except httpx.TransportError as exc:
                    outcome.retries.append(type(exc).__name__)

        await asyncio.gather(*(lane() for _ in range(args.concurrency)))
    return outcomes, killed


async def count(database: str, places: int) -> dict[str, int]:
    conn = await asyncpg.connect(f"{PG}/{database}", timeout=5)
    try:
        event = await conn.fetchrow("SELECT id, taken_young FROM event WHERE slug = $1", SLUG)
        rows = await conn.fetch(
            "SELECT status, COUNT(*) AS n FROM registration WHERE event_id = $1 GROUP BY status",
            event["id"],
        )
        by_status = {row["status"]: int(row["n"]) for row in rows}
        duplicate_positions = await conn.fetchval(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM registration"
            " WHERE event_id = $1 AND waitlist_number IS NOT NULL GROUP BY waitlist_number"
            " HAVING COUNT(*) > 1) AS d",
            event["id"],
        )
        duplicate_people = await conn.fetchval(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM registration"
            " WHERE event_id = $1 GROUP BY email HAVING COUNT(*) > 1) AS d",
            event["id"],
        )
    finally:
        await conn.close()
    confirmed = by_status.get("confirmed", 0)
    return {
        "confirmed": confirmed,
        "waiting": by_status.get("waitlisted", 0),
        "overbooked": max(0, confirmed - places) + abs(int(event["taken_young"]) - confirmed),
        "duplicate_positions": int(duplicate_positions),
        "duplicate_people": int(duplicate_people),
    }


async def registrations_of(database: str, emails: list[str]) -> dict[str, int]:
    conn = await asyncpg.connect(f"{PG}/{database}", timeout=5)
    try:
        rows = await conn.fetch(
            "SELECT email, COUNT(*) AS n FROM registration WHERE email = ANY($1) GROUP BY email",
            emails,
        )
    finally:
        await conn.close()
    return {row["email"]: int(row["n"]) for row in rows}


async def run(args: argparse.Namespace, data_dir: Path) -> int:
    database = f"faults_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{database}"')
    try:
        env = environment(database, data_dir)
        await in_process(env, "-m", "events", "migrate")
        await in_process(env, __file__, "--create-event", str(args.places))
        async with serving(env, 4) as (base_url, master):
            began = time.monotonic()
            outcomes, killed = await storm(base_url, master, args)
            seconds = time.monotonic() - began
        figures = await count(database, args.places)
        unanswered = [o for o in outcomes if o.first_status is None]
        counts = await registrations_of(database, [o.email for o in unanswered])
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return report(args, outcomes, killed, seconds, figures, unanswered, counts)


def report(
    args: argparse.Namespace,
    outcomes: list[Outcome],
    killed: int | None,
    seconds: float,
    figures: dict[str, int],
    unanswered: list[Outcome],
    counts: dict[str, int],
) -> int:
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        key = str(outcome.final_status) if outcome.final_status else "no answer"
        statuses[key] = statuses.get(key, 0) + 1
    print(f"sign-up storm: {args.requests} requests, {args.concurrency} in flight, 4 workers on "
          f"PostgreSQL, {args.places} places; {seconds:.1f} s")  # fmt: skip
    print(f"killed with kill -9:         worker pid {killed}" if killed else "killed: none")
    print(f"final answers:               {dict(sorted(statuses.items()))}")
    print(f"confirmed:                   {figures['confirmed']}")
    print(f"waiting:                     {figures['waiting']}")
    print(f"overbooked:                  {figures['overbooked']}")
    print(f"duplicate positions:         {figures['duplicate_positions']}")
    print(f"duplicate people:            {figures['duplicate_people']}")
    print(f"requests without an answer:  {len(unanswered)}")
    safe = True
    for outcome in unanswered:
        once = counts.get(outcome.email, 0) == 1
        ok = outcome.final_status == 202 and once
        safe = safe and ok
        print(f"  {outcome.email}: {outcome.first_error}, retried -> {', '.join(outcome.retries)};"
              f" registrations: {counts.get(outcome.email, 0)}"
              f" -> {'retried safely' if ok else 'NOT SAFE'}")  # fmt: skip
    total = figures["confirmed"] + figures["waiting"]
    answered_202 = statuses.get("202", 0)
    print(f"registrations: {total} for {answered_202} sign-ups answered 202")
    holds = (
        figures["overbooked"] == 0
        and figures["duplicate_positions"] == 0
        and figures["duplicate_people"] == 0
        and safe
        and total == answered_202
        and killed is not None
    )
    print("all invariants hold" if holds else "AN INVARIANT FAILED")
    return 0 if holds else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--places", type=int, default=150)
    parser.add_argument("--create-event", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.create_event is not None:
        asyncio.run(create_event(args.create_event))
        return 0
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        return asyncio.run(run(args, Path(folder)))


if __name__ == "__main__":
    sys.exit(main())
