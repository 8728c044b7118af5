"""Where the time goes: py-spy (100 samples/s) on the app's worker while each workload runs,
and the samples summed into the costs issue 14 names (ORM, Jinja2, Babel, middleware, access
log …) as percentages of the busy event loop.

One SQLite server with the demo data, 1 worker, on loopback; for each workload py-spy records
the worker (``--threads --full-filenames``, idle samples left out) while the load runs:

- ``home`` and ``event``: wrk, 32 connections (the throughput workloads);
- ``checkin``: first scans at 1 connection, signed in as the demo host;
- ``storm``: sign-ups at 64 connections for an event of 100 places.

A sample belongs to the first frame, from the leaf up, that a rule below owns; standard
library frames are skipped (a ``logging`` call belongs to whoever made it: uvicorn's is the
access log). Samples of other threads (aiosqlite runs SQLite in its own thread) are counted
apart. Needs py-spy (``.venv/bin/pip install py-spy``) and root (ptrace).

Run: ``.venv/bin/python scripts/bench/_profile.py [--seconds 10] [--plain-uvicorn] [--only W]``
"""

from __future__ import annotations

import argparse
import json
import linecache
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _http import Connection, one_connection
from _load import ensure_wrk, throughput
from _servers import environment, serving
from run import (
    APP,
    DOOR_EVENT,
    HOST_VENUE,
    checkin_path,
    data,
    demo,
    first_event_slug,
    sign_in,
    sign_ups,
)

ROOT = Path(__file__).resolve().parents[2]
# (category, substrings of a frame's file), tried in order on each frame from the leaf up
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("ORM: Tortoise + PyPika (query building, model instances)", ("/tortoise/", "/pypika")),
    ("ORM: driver glue (aiosqlite, asyncpg)", ("/aiosqlite/", "/asyncpg/")),
    ("Jinja2 (rendering, template code)", ("/jinja2/", "/markupsafe/", str(ROOT / "templates"))),
    ("Babel (dates, plural rules)", ("/babel/",)),
    ("access log", ("/uvicorn/logging.py", "/events/logs.py")),
    (
        "middleware (session, CSRF, locale, actor, security headers)",
        (
            "/starlette/middleware/",
            "/events/web/middleware.py",
            "/events/web/csrf.py",
            "/itsdangerous/",
        ),
    ),
    ("password hashing (Argon2)", ("/argon2/",)),
    ("QR codes, images", ("/qrcode/", "/PIL/")),
    ("iCalendar", ("/icalendar/", "/events/calendars.py")),
    ("app: services", ("/events/services/",)),
    ("app: web handlers and helpers", ("/events/web/",)),
    ("app: other modules", ("/events/",)),
    ("Starlette (routing, requests, responses)", ("/starlette/",)),
    ("uvicorn + HTTP parser", ("/uvicorn/", "/h11/", "/httptools/")),
    ("event loop (asyncio, uvloop)", ("/asyncio/", "/uvloop/", "selectors.py")),
]


IDLE = "idle: waiting in epoll"
AWAIT = "stopped on an await line (in C: resuming, GIL hand-offs with aiosqlite's thread)"


def _line(frame: str) -> str:
    """The source line a frame ``function (path:line)`` stands on, stripped."""
    path, _, line = frame.rsplit("(", 1)[-1].rstrip(")").rpartition(":")
    return linecache.getline(path, int(line)).strip() if line.isdigit() else ""


def _is_await(frame: str) -> bool:
    """A leaf on a line that awaits: the thread is in C code there (a future resuming, the
    GIL changing hands), not in Python code of its own."""
    return "await " in _line(frame)


def owner(frames: list[str]) -> str:
    """The category of one stack (root first), by its leaf-most owned frame."""
    leaf = frames[-1]
    if leaf.startswith(("EpollSelector.select (", "Runner.run (")):
        return IDLE  # asyncio's epoll, or uvloop's loop in C (epoll and its own dispatch)
    if leaf.startswith("_SelectorSocketTransport.write (") or _line(leaf).startswith(
        "self.transport.write("
    ):
        return "socket writes (the send system call)"
    if _is_await(leaf):
        return AWAIT
    through_logging = False
    for frame in reversed(frames):
        path = frame.rsplit("(", 1)[-1]
        if "/logging/" in path:
            through_logging = True
        for category, marks in RULES:
            if any(mark in path for mark in marks):
                if through_logging and "/uvicorn/" in path:
                    return "access log"
                return category
    return "other (standard library, unowned)"


def summarise(raw: Path) -> tuple[Counter[str], int, int, int]:
    """(busy samples per category of the main thread, their sum, other threads' samples,
    the main thread's samples waiting in epoll)."""
    main: Counter[str] = Counter()
    others = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames[0].endswith("MainThread"):  # aiosqlite's thread (SQLite itself)
            others += int(count)
            continue
        main[owner(frames)] += int(count)
    idle = main.pop(IDLE, 0)
    return main, sum(main.values()), others, idle


def record(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    command = ["py-spy", "record", "-r", "100", "-d", str(max(1, round(seconds))), "-p", str(pid)]
    command += ["--threads", "--full-filenames", "--format", "raw", "-o", str(out)]
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen([spy, *command[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def table(name: str, raw: Path) -> str:
    counts, busy, others, idle = summarise(raw)
    lines = [
        f"\n{name}: {busy} busy samples of the event loop's thread ({idle} more in the "
        f"loop's own wait; {others} in aiosqlite's SQLite thread, "
        f"{100 * others / max(busy, 1):.0f} % of the busy loop's)\n"
    ]
    lines += ["| cost | share of the busy loop |", "| --- | --- |"]
    for category, n in counts.most_common():
        lines.append(f"| {category} | {100 * n / max(busy, 1):.0f} % |")
    orm = sum(n for c, n in counts.items() if c.startswith("ORM"))
    lines.append(f"| (ORM in all) | {100 * orm / max(busy, 1):.0f} % |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--plain-uvicorn", action="store_true")
    parser.add_argument("--only", action="append", choices=("home", "event", "checkin", "storm"))
    parser.add_argument("--out", type=Path, default=None, help="keep the raw profiles here")
    parser.add_argument("--summarise", type=Path, help="only summarise raw profiles there")
    args = parser.parse_args()
    wanted = args.only or ["home", "event", "checkin", "storm"]
    if args.summarise:
        for name in wanted:
            if (args.summarise / f"{name}.txt").exists():
                print(table(name, args.summarise / f"{name}.txt"))
        return
    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    out = args.out or folder
    out.mkdir(parents=True, exist_ok=True)
    env = environment(f"sqlite://{folder / 'events.sqlite3'}", folder)
    demo(env)
    reports = []
    with serving(env, APP, factory=True, plain=args.plain_uvicorn, health="/healthz") as app:
        pid = app.worker_pids()[0]
        slug = first_event_slug(app.base_url)
        pages = {"home": "/", "event": f"/events/{slug}"}
        for name in [w for w in wanted if w in pages]:
            throughput(wrk, app.base_url, pages[name], 32, 1)
            spy = record(pid, args.seconds, out / f"{name}.txt")
            throughput(wrk, app.base_url, pages[name], 32, args.seconds + 1)
            spy.wait(60)
            reports.append(table(f"{name} page, wrk 32 connections", out / f"{name}.txt"))
        if "checkin" in wanted:
            door = int(data(env, "event", DOOR_EVENT, "--venue", HOST_VENUE, "--young", "5000"))
            sign_ups(app.base_url, DOOR_EVENT, 1500, 8, "door")
            codes = iter(data(env, "codes", DOOR_EVENT))
            headers, path = sign_in(app.base_url, door), checkin_path(door)

            def scan(n: int) -> tuple[str, str, dict[str, str], bytes]:
                body = {"code": next(codes), "nonce": uuid.uuid4().hex, "device_id": "p",
                        "scanned_at": datetime.now(UTC).isoformat()}  # fmt: skip
                return ("POST", path, headers, json.dumps(body).encode())

            Connection(app.base_url).request(*scan(0))
            spy = record(pid, args.seconds, out / "checkin.txt")
            stop = threading.Event()
            threading.Timer(args.seconds + 1, stop.set).start()
            while not stop.is_set():
                try:
                    one_connection(app.base_url, scan, 20, warmup=0)
                except StopIteration:  # every ticket scanned: the profile is long enough
                    break
            spy.wait(60)
            reports.append(table("check-in, 1 connection, first scans", out / "checkin.txt"))
        if "storm" in wanted:
            data(env, "event", "bench-storm", "--venue", HOST_VENUE, "--young", "100",
                 "--starts-in", str(7 * 24 * 60))  # fmt: skip
            spy = record(pid, args.seconds, out / "storm.txt")
            sign_ups(app.base_url, "bench-storm", 5000, 64, "storm", deadline=args.seconds + 1)
            spy.wait(60)
            reports.append(table("sign-up storm, 64 connections", out / "storm.txt"))
    print("\n".join(reports))
    print(f"\nraw profiles in {out}")


if __name__ == "__main__":
    main()
