"""Server processes for the benchmarks: start on a free loopback port, wait until they answer,
find their worker processes and their resident memory, stop them (the whole process group).

Also the databases: a SQLite file in a temporary folder, or a PostgreSQL database of its own
on 127.0.0.1:5432 (trust auth), created here and dropped at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The server's environment: its database, no SMTP, no sign-up rate limit."""
    paths = [str(ROOT), str(HERE), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "EVENTS_DATABASE_URL": database_url,
        "EVENTS_DATA_DIR": str(data_dir),
        "EVENTS_SECRET_KEY": "bench-secret",
        "EVENTS_SIGNUP_RATE_LIMIT": "0",
        "EVENTS_SMTP_HOST": "",
        **extra,
    }


def run(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """A command in the project folder; its output, or an error with the output."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    workers: int

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself with one worker, else the
        children uvicorn spawned (not multiprocessing's resource tracker)."""
        if self.workers == 1:
            return [self.process.pid]
        return [pid for pid in descendants(self.process.pid) if b"spawn_main" in cmdline(pid)]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start(
    env: dict[str, str], app: str, *, workers: int = 1, factory: bool = False,
    plain: bool = False, h11: bool = False, health: str = "/", log: Path | None = None,
) -> Server:  # fmt: skip
    """``_serve.py`` in its own process group; returns once ``health`` answers and every
    worker has started."""
    port = free_port()
    command = [sys.executable, str(HERE / "_serve.py"), app, "--port", str(port)]
    command += ["--workers", str(workers)]
    command += ["--factory"] * factory + ["--plain"] * plain + ["--h11"] * h11
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", workers)
    try:
        wait_until_up(server, health)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_up(server: Server, path: str) -> None:
    from _http import Connection

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}")
        conn = Connection(server.base_url)
        try:
            if conn.request("GET", path).status < 500 and len(server.worker_pids()) == (
                server.workers
            ):
                time.sleep(0.5 if server.workers > 1 else 0)  # let the last worker settle
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"{server.base_url}{path} did not answer within {START_TIMEOUT:.0f} s")


@contextlib.contextmanager
def serving(env: dict[str, str], app: str, **options: object) -> Iterator[Server]:
    server = start(env, app, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


# --- processes ----------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of a process in MB, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- databases ----------------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True


def pg_admin(sql: str) -> None:
    import asyncio

    import asyncpg

    async def go() -> None:
        conn = await asyncpg.connect(PG_ADMIN, timeout=10)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(go())


@contextlib.contextmanager
def postgres_database(settings: tuple[str, ...] = ()) -> Iterator[str]:
    """A new, empty database ``bench_run_…``; dropped (with its connections) at the end.
    ``settings`` (``name=value``) are set on that database alone (``ALTER DATABASE … SET``)."""
    name = f"bench_run_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    for setting in settings:
        key, _, value = setting.partition("=")
        pg_admin(f"ALTER DATABASE \"{name}\" SET {key} = '{value}'")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
