"""Benchmark runner for issue 14: every workload of its table, against baselines measured
in the same run, printed as that table (workload, figure, baseline, ratio, target, met).

What it starts, all on 127.0.0.1, all stopped at the end:

- a bare Starlette hello (``_hello.py``) under the same uvicorn as the app, at 1, 2 and 4
  workers (and, for comparison, plain ``uvicorn.run`` at 2 and 4: the floor of issue 3149);
- the real app (``events.app:app_from_env``, factory) on SQLite with 1 worker: the demo data
  (``python -m events demo``), a door event and a storm event;
- the same on PostgreSQL with 4 workers, in a database of its own (created, then dropped);
- the app on another SQLite file with 5,000 upcoming activities inserted directly.

Loads: wrk (2 threads, 32 connections, fixed seconds) for throughput, installed with apt-get
when missing, else a bounded Python generator; a one-connection keep-alive client for p50
figures; 64 asyncio connections for the sign-up storm. Every figure is the median of 3 runs
(``--quick``: shorter runs, a smaller storm) except the storm, run ``--storm-runs`` times
(1 by default). Exactness of the storm is read from the database afterwards.

Run: ``.venv/bin/python scripts/bench/run.py [--quick] [--only NAME ...] [--plain-uvicorn]``
with NAME among hello, event, home, checkin, postgres, storm, big. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from _http import Connection, Make, many_connections, one_connection
from _load import ensure_wrk, throughput
from _servers import (
    Server,
    environment,
    postgres_answers,
    postgres_database,
    rss_mb,
    run,
    serving,
)

HERE = Path(__file__).resolve().parent
APP = "events.app:app_from_env"
HELLO = "_hello:app"
NAMES = ("hello", "event", "home", "checkin", "postgres", "storm", "big")
DEMO_EVENT = "koffie-en-kletsen"  # overridden by the first demo event the home page links
HOST_EMAIL = "gastvrouw@example.org"
HOST_PASSWORD = "samen-offline-demo"
HOST_VENUE = "cafe-de-zwaan"
DOOR_EVENT = "bench-door"
STORM_EVENT = "bench-storm"


@dataclass(frozen=True)
class Plan:
    """How long and how much: the full run or ``--quick``."""

    seconds: float  # one wrk run
    requests: int  # one 1-connection run
    budget: float  # at most this many seconds per 1-connection run
    signups: int
    places: int
    activities: int
    runs: int = 3


FULL = Plan(seconds=5, requests=300, budget=8, signups=2000, places=100, activities=5000)
QUICK = Plan(seconds=2, requests=80, budget=3, signups=300, places=15, activities=5000)


@dataclass
class Row:
    workload: str
    figure: float | None
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  -> {render_row(row)}", flush=True)


# --- helpers ------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def p50(base_url: str, make: Make, plan: Plan) -> float:
    """Median over ``plan.runs`` runs of the p50 of one connection, in ms."""
    figures = []
    for _ in range(plan.runs):
        sample = one_connection_budget(base_url, make, plan)
        bad = {s: n for s, n in sample.statuses.items() if s >= 400}
        if bad:
            raise RuntimeError(f"{make(0)[1]} answered {sample.statuses}")
        figures.append(sample.p50_ms)
    return median(figures)


def one_connection_budget(base_url: str, make: Make, plan: Plan) -> Any:
    """A 1-connection run of ``plan.requests`` requests, cut short after ``plan.budget`` s
    (at least 15 requests): slow pages get fewer samples, the run stays bounded."""
    began = time.perf_counter()
    sample = one_connection(base_url, make, 15, warmup=3)
    if time.perf_counter() - began < plan.budget:
        per = (time.perf_counter() - began) / 18
        more = min(plan.requests - 15, int(plan.budget / max(per, 1e-6)))
        if more > 0:
            extra = one_connection(base_url, make, more, warmup=0)
            sample.latencies += extra.latencies
            for status, n in extra.statuses.items():
                sample.statuses[status] = sample.statuses.get(status, 0) + n
    return sample


def get(path: str, headers: dict[str, str] | None = None) -> Make:
    return lambda n: ("GET", path, headers or {}, b"")


def demo(env: dict[str, str]) -> None:
    run(env, "-m", "events", "migrate")
    run(env, "-m", "events", "demo")


def data(env: dict[str, str], *args: str) -> Any:
    return json.loads(run(env, str(HERE / "_data.py"), *args).strip().splitlines()[-1])


def first_event_slug(base_url: str) -> str:
    page = Connection(base_url).request("GET", "/").body.decode()
    found = re.findall(r'href="/events/([^"/?#]+)"', page)
    demo_events = [slug for slug in found if not slug.startswith("bench")]
    return demo_events[0] if demo_events else DEMO_EVENT


def sign_ups(
    base_url: str, slug: str, n: int, clients: int, prefix: str, deadline: float = 900
) -> Any:
    """``n`` sign-ups of distinct young adults over the JSON API."""
    year = datetime.now(UTC).year - 22

    def make(i: int) -> tuple[str, str, dict[str, str], bytes]:
        body = {"first_name": "Bench", "email": f"{prefix}{i}@example.org", "birth_year": year}
        headers = {"Content-Type": "application/json"}
        return ("POST", f"/api/events/{slug}/registrations", headers, json.dumps(body).encode())

    return asyncio.run(many_connections(base_url, make, n, clients, deadline=deadline))


def sign_in(base_url: str, event_id: int) -> dict[str, str]:
    """The demo host's session cookie and CSRF token, as the scanner page holds them."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        form = http.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, f"no CSRF field on /login ({form.status_code})"
        fields = {"email": HOST_EMAIL, "password": HOST_PASSWORD, "csrf_token": token.group(1)}
        done = http.post("/login", data=fields)
        assert done.status_code in (302, 303), f"sign-in answered {done.status_code}"
        page = http.get(f"/host/events/{event_id}/scan").text
        found = re.search(r'"csrf":\s*"([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )
        assert found, "no CSRF token on the scanner page"
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    return {"Cookie": cookie, "X-CSRF-Token": found.group(1), "Content-Type": "application/json"}


def checkin_path(event_id: int) -> str:
    """The door's check-in route, by its name in the app being measured."""
    try:
        from events.app import create_app
        from events.settings import Settings

        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                data_dir=Path(folder), database_url="sqlite://:memory:", secret_key="x"
            )
            return str(create_app(settings).url_path_for("door_checkin", event_id=event_id))
    except Exception:
        return f"/api/host/events/{event_id}/checkins"


class Peaks:
    """Peak resident memory of some processes, sampled every 0.2 s in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = dict.fromkeys(pids, 0.0)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.done.wait(0.2):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mb(pid))

    def __enter__(self) -> Peaks:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


# --- phases -------------------------------------------------------------------------------


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.plan = QUICK if args.quick else FULL
        self.only = set(args.only or NAMES)
        self.plain = args.plain_uvicorn
        self.storm_runs = args.storm_runs
        self.sqlite_params: list[str] = args.sqlite_param or []
        self.pg_settings: list[str] = args.pg_setting or []
        self.results = Results()
        self.wrk = ensure_wrk()
        self.folder = Path(tempfile.mkdtemp(prefix="bench-run-"))
        self.results.facts.update(
            generator="wrk" if self.wrk else "python (client-bound)",
            serving="uvicorn.run" if self.plain else "events.serving (when present)",
            plan=self.plan.__dict__,
        )
        if self.sqlite_params or self.pg_settings:
            self.results.facts["what if"] = " ".join(self.sqlite_params + self.pg_settings)

    def wants(self, *names: str) -> bool:
        return bool(self.only.intersection(names))

    def serve(self, env: dict[str, str], app: str, workers: int = 1) -> Any:
        log = self.folder / f"serve-{uuid.uuid4().hex[:6]}.log"
        health = "/healthz" if app == APP else "/"
        return serving(
            env, app, workers=workers, factory=app == APP, plain=self.plain, health=health,
            log=log,
        )  # fmt: skip

    def sqlite_env(self, name: str) -> dict[str, str]:
        folder = self.folder / name
        folder.mkdir()
        query = "?" + "&".join(self.sqlite_params) if self.sqlite_params else ""
        return environment(f"sqlite://{folder / 'events.sqlite3'}{query}", folder)

    # bare hello at 1, 2 and 4 workers: no worker count may add a floor
    def hello(self) -> None:
        print("bare hello, 1 connection p50 at 1, 2 and 4 workers", flush=True)
        env = environment("sqlite://:memory:", self.folder)
        # (label, plain uvicorn.run, h11 + asyncio forced): as served, then the case
        modes = (
            [("plain uvicorn.run", True, False)] if self.plain else [("as served", False, False)]
        )
        modes += [
            ("events.serving, h11 + asyncio", False, True),
            ("plain uvicorn.run, h11 + asyncio: comparison", True, True),
        ]
        for label, plain, h11 in modes:
            one = 0.0
            for workers in (1, 2, 4):
                with serving(env, HELLO, workers=workers, plain=plain, h11=h11) as server:
                    figure = p50(server.base_url, get("/"), self.plan)
                if workers == 1:
                    one = figure
                    continue
                self.results.add(
                    Row(
                        f"bare hello, {workers} workers, 1 conn, p50 ({label})", figure, "ms",
                        baseline=f"{one:.2f} ms (1 worker)", ratio=figure / one,
                        target="no floor: ≤ 2× 1 worker",
                        met=None if "comparison" in label else figure <= 2 * one,
                    )
                )  # fmt: skip

    # the SQLite server with demo data: pages, check-in, the SQLite half of the ratios, storm
    def sqlite(self) -> None:
        env = self.sqlite_env("sqlite")
        print("SQLite: migrate, demo data, a door event", flush=True)
        demo(env)
        with self.serve(env, HELLO) as hello, self.serve(env, APP) as app:
            slug = first_event_slug(app.base_url)
            self.results.facts["event_page"] = f"/events/{slug}"
            if self.wants("event", "home"):
                self.pages(hello, app, slug)
            if self.wants("postgres"):
                for name, path in (("event page", f"/events/{slug}"), ("home page", "/")):
                    figure = p50(app.base_url, get(path), self.plan)
                    self.results.facts[f"sqlite p50 {name}"] = figure
                    print(f"  SQLite 1 worker, {name} p50 {figure:.2f} ms", flush=True)
            if self.wants("checkin"):
                # made after the page figures, so that the home page holds the demo data only
                door = data(env, "event", DOOR_EVENT, "--venue", HOST_VENUE, "--young", "5000")
                self.checkin(env, app, int(door))
            if self.wants("storm"):
                self.storm(env, app, "SQLite, 1 worker", "< 10 s, exact", 10.0)

    def pages(self, hello: Server, app: Server, slug: str) -> None:
        print("throughput, 1 worker, 32 connections (wrk), interleaved rounds", flush=True)
        paths = {"hello": (hello, "/"), "event": (app, f"/events/{slug}"), "home": (app, "/")}
        rps: dict[str, list[float]] = {name: [] for name in paths}
        for server, path in paths.values():  # warm-up
            throughput(self.wrk, server.base_url, path, 32, 1)
        for _ in range(self.plan.runs):
            for name, (server, path) in paths.items():
                done = throughput(self.wrk, server.base_url, path, 32, self.plan.seconds)
                if done.errors:
                    raise RuntimeError(f"{path}: {done.errors} errors under load")
                rps[name].append(done.rps)
        base = median(rps["hello"])
        self.results.facts["hello rps"] = base
        targets = {"event": ("event page", 0.40), "home": ("home page (demo data)", 0.20)}
        for name, (label, target) in targets.items():
            if self.wants(name):
                figure = median(rps[name])
                self.results.add(
                    Row(
                        f"{label}, 1 worker, 32 conns, rps ÷ bare hello", figure, "rps",
                        baseline=f"{base:.0f} rps", ratio=figure / base, target=f"≥ {target:.2f}",
                        met=figure / base >= target,
                    )
                )  # fmt: skip

    def checkin(self, env: dict[str, str], app: Server, door_id: int) -> None:
        print("check-in: sign-ups for the door event, sign in as the demo host", flush=True)
        needed = self.plan.runs * (self.plan.requests + 3) + 10
        done = sign_ups(app.base_url, DOOR_EVENT, needed, 8, "door")
        assert set(done.statuses) == {202}, f"door sign-ups answered {done.statuses}"
        codes = iter(data(env, "codes", DOOR_EVENT))
        headers = sign_in(app.base_url, door_id)
        path = checkin_path(door_id)

        def make(n: int) -> tuple[str, str, dict[str, str], bytes]:
            scan = {
                "code": next(codes), "nonce": uuid.uuid4().hex, "device_id": "bench",
                "scanned_at": datetime.now(UTC).isoformat(),
            }  # fmt: skip
            return ("POST", path, headers, json.dumps(scan).encode())

        first = Connection(app.base_url).request(*make(0))
        outcome = json.loads(first.body).get("outcome") if first.status == 200 else first.status
        if outcome != "ok":
            raise RuntimeError(f"the first check-in answered {outcome}: {first.body[:200]!r}")
        figure = p50(app.base_url, make, self.plan)
        self.results.add(
            Row(
                "check-in request, 1 conn, p50 (SQLite)", figure, "ms", target="< 2 ms",
                met=figure < 2, note=f"POST {path}, first scans",
            )
        )  # fmt: skip

    def storm(
        self, env: dict[str, str], app: Server, label: str, target: str, limit: float
    ) -> None:
        plan = self.plan
        times, exact, notes, peaks = [], True, [], []
        for n in range(self.storm_runs):
            slug = f"{STORM_EVENT}-{n}"
            data(env, "event", slug, "--venue", HOST_VENUE, "--young", str(plan.places),
                 "--starts-in", str(7 * 24 * 60))  # fmt: skip
            print(f"storm on {label}: {plan.signups} sign-ups for {plan.places} places, "
                  "64 clients", flush=True)  # fmt: skip
            with Peaks(app.worker_pids()) as memory:
                sample = sign_ups(app.base_url, slug, plan.signups, 64, f"s{n}-")
            ended = data(env, "storm", slug)
            ok = (
                set(sample.statuses) == {202}
                and len(sample.latencies) == plan.signups
                and ended["confirmed"] == plan.places
                and ended["waiting"] == plan.signups - plan.places
                and ended["consecutive"]
            )
            exact = exact and ok
            times.append(sample.seconds)
            peaks.append(max(memory.peak.values()))
            notes.append(f"answers {sample.statuses}, registrations {ended['statuses']}, "
                         f"positions consecutive: {ended['consecutive']}")  # fmt: skip
            print(f"  {sample.seconds:.1f} s; {notes[-1]}", flush=True)
        figure = median(times)
        self.results.facts[f"storm {label}"] = figure
        met = exact and figure < limit
        baseline, ratio = "", None
        sqlite_time = self.results.facts.get("storm SQLite, 1 worker")
        if "PostgreSQL" in label and sqlite_time:
            baseline, ratio = f"{sqlite_time:.1f} s (SQLite, 1 worker)", figure / sqlite_time
            met = met and figure < sqlite_time
        self.results.add(
            Row(
                f"{plan.signups:,} sign-ups for {plan.places} places, 64 clients, {label}",
                figure, "s", baseline=baseline, ratio=ratio, target=target, met=met,
                note=("exact" if exact else "NOT EXACT: ") + ("" if exact else "; ".join(notes)),
            )
        )  # fmt: skip
        memory_mb = max(peaks)
        self.results.add(
            Row(
                f"resident memory per worker under the storm ({label})", memory_mb, "MB",
                target="< 120 MB", met=memory_mb < 120, note="peak VmRSS of any worker",
            )
        )  # fmt: skip

    # PostgreSQL, 4 workers: the same pages at 1 connection, and the storm
    def postgres(self) -> None:
        if not postgres_answers():
            self.results.add(Row("PostgreSQL", None, "", note="skipped: nothing on :5432"))
            return
        with postgres_database(tuple(self.pg_settings)) as url:
            folder = self.folder / "postgres"
            folder.mkdir()
            env = environment(url, folder)
            print("PostgreSQL: migrate, demo data", flush=True)
            demo(env)
            with self.serve(env, APP, workers=4) as app:
                slug = first_event_slug(app.base_url)
                if self.wants("postgres"):
                    for name, path in (("event page", f"/events/{slug}"), ("home page", "/")):
                        figure = p50(app.base_url, get(path), self.plan)
                        base = self.results.facts.get(f"sqlite p50 {name}")
                        ratio = figure / base if base else None
                        self.results.add(
                            Row(
                                f"{name} on PostgreSQL (4 workers), 1 conn, p50 ÷ SQLite",
                                figure, "ms", baseline=f"{base:.2f} ms" if base else "",
                                ratio=ratio, target="≤ 1.5×",
                                met=ratio is not None and ratio <= 1.5,
                            )
                        )  # fmt: skip
                if self.wants("storm"):
                    self.storm(env, app, "PostgreSQL, 4 workers",
                               "< 5 s, exact, faster than SQLite 1 worker", 5.0)  # fmt: skip

    # SQLite with 5,000 upcoming activities: home page, the calendar cold, the 304
    def big(self) -> None:
        plan = self.plan
        env = self.sqlite_env("big")
        print(f"SQLite with {plan.activities:,} upcoming activities", flush=True)
        demo(env)
        data(env, "activities", str(plan.activities))
        cold = []
        for n in range(plan.runs):
            with self.serve(env, APP) as app:
                began = time.perf_counter()
                answer = Connection(app.base_url).request("GET", "/calendar.ics")
                cold.append((time.perf_counter() - began) * 1000)
                assert answer.status == 200, answer.status
                if n < plan.runs - 1:
                    continue
                etag = answer.headers.get("etag", "")
                home = p50(app.base_url, get("/"), plan)
                conditional = get("/calendar.ics", {"If-None-Match": etag})
                check = Connection(app.base_url).request(*conditional(0))
                not_modified = p50(app.base_url, conditional, plan) if check.status == 304 else None
        self.results.add(
            Row(
                f"home page with {plan.activities:,} upcoming activities, 1 conn, p50", home,
                "ms", target="< 15 ms", met=home < 15,
            )
        )  # fmt: skip
        figure = median(cold)
        self.results.add(
            Row(
                f"/calendar.ics with {plan.activities:,} activities, cold", figure, "ms",
                target="< 300 ms", met=figure < 300, note="first request after a start",
            )
        )  # fmt: skip
        self.results.add(
            Row(
                f"feed of {plan.activities:,} activities answered 304, 1 conn, p50",
                not_modified, "ms", target="< 2 ms",
                met=not_modified is not None and not_modified < 2,
                note="" if not_modified is not None else f"answered {check.status}, not 304",
            )
        )  # fmt: skip

    def all(self) -> Results:
        steps: list[tuple[tuple[str, ...], Callable[[], None]]] = [
            (("hello",), self.hello),
            (("event", "home", "checkin", "postgres", "storm"), self.sqlite),
            (("postgres", "storm"), self.postgres),
            (("big",), self.big),
        ]
        for names, step in steps:
            if self.wants(*names):
                step()
        return self.results


# --- the table ----------------------------------------------------------------------------


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "rps":
        return f"{value:,.0f} rps"
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} {unit}"


def render_row(row: Row) -> str:
    met = {True: "met", False: "NOT MET", None: "—"}[row.met]
    ratio = f"{row.ratio:.3f}" if row.ratio is not None else ""
    figure = number(row.figure, row.unit)
    cells = [row.workload, figure, row.baseline, ratio, row.target, met, row.note]
    return "| " + " | ".join(cells) + " |"


def print_table(results: Results) -> None:
    print()
    print("| workload | figure | baseline | ratio | target | met | note |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in results.rows:
        print(render_row(row))
    facts = ", ".join(f"{k}: {v}" for k, v in results.facts.items() if k != "plan")
    print(f"\n{facts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, a storm of 300")
    parser.add_argument("--only", action="append", choices=NAMES, help="one workload (repeat)")
    parser.add_argument("--plain-uvicorn", action="store_true",
                        help="serve with uvicorn.run as before events/serving.py")  # fmt: skip
    parser.add_argument("--storm-runs", type=int, default=1)
    parser.add_argument(
        "--sqlite-param",
        action="append",
        metavar="PRAGMA=VALUE",
        help="what if: a pragma in the SQLite URL (synchronous=NORMAL)",
    )
    parser.add_argument("--pg-setting", action="append", metavar="NAME=VALUE",
                        help="what if: a setting of the PostgreSQL database "
                        "(synchronous_commit=off)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    runner = Runner(args)
    began = time.perf_counter()
    try:
        results = runner.all()
    finally:
        print_table(runner.results)
        print(f"{time.perf_counter() - began:.0f} s in all; logs in {runner.folder}")
    if args.json:
        rows = [row.__dict__ for row in results.rows]
        args.json.write_text(json.dumps({"rows": rows, "facts": results.facts}, indent=2))


if __name__ == "__main__":
    main()
