"""Throughput at many connections: wrk when it is there (installed with apt-get when missing
and we are root, as ``scripts/test`` installs Chromium), else a bounded Python generator.

wrk runs for a fixed time on loopback with 2 threads; the Python fallback is client-bound on
a small machine (it shares the cores with the server), so its ratios are only indicative and
the table says which generator ran.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from _http import for_duration


@dataclass(frozen=True)
class Throughput:
    rps: float
    errors: int  # non-2xx/3xx answers and socket errors


def ensure_wrk() -> str | None:
    """The path of wrk, installing Debian's package when missing and allowed; else None."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("Installing wrk with apt-get for the throughput figures")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, timeout=300)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False, timeout=300)
    return shutil.which("wrk")


def wrk(path: str, url: str, connections: int, seconds: float) -> Throughput:
    done = subprocess.run(
        [path, "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if socket_errors := re.search(r"Socket errors: (.*)", out):
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Throughput(rps, errors)


def throughput(
    wrk_path: str | None, base_url: str, path: str, connections: int, seconds: float
) -> Throughput:
    """Requests per second of GET ``path`` at ``connections`` connections for ``seconds``."""
    if wrk_path:
        return wrk(wrk_path, base_url + path, connections, seconds)
    sample = asyncio.run(for_duration(base_url, path, connections, seconds))
    bad = sum(n for status, n in sample.statuses.items() if status >= 400)
    return Throughput(sample.rps, bad)
