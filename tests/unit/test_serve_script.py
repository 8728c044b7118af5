"""``scripts/serve --port P`` without ``EVENTS_BASE_URL`` makes links point at that port
(issue 10, point 10). The script runs in a copy of ``scripts/`` whose ``_setup.sh`` and
``.venv/bin/python`` are stand-ins that record what ``python -m events serve`` would see."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { :; }
setup_venv() { :; }
"""
PYTHON = """#!/usr/bin/env bash
echo "$EVENTS_BASE_URL $*" >> "$(dirname "$0")/../../calls.txt"
"""


def serve(tmp_path: Path, *args: str, base_url: str | None = None) -> list[str]:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "serve", tmp_path / "scripts" / "serve")
    (tmp_path / "scripts" / "_setup.sh").write_text(SETUP)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(PYTHON)
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "EVENTS_BASE_URL"}
    if base_url:
        env["EVENTS_BASE_URL"] = base_url
    subprocess.run(
        ["bash", str(tmp_path / "scripts" / "serve"), *args], env=env, check=True, timeout=30
    )
    return (tmp_path / "calls.txt").read_text().splitlines()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "http://127.0.0.1:8000"),
        (("--port", "8123"), "http://127.0.0.1:8123"),
        (("--port=8124", "--workers", "2"), "http://127.0.0.1:8124"),
        (("--host", "0.0.0.0", "--port", "9000"), "http://127.0.0.1:9000"),
        (("--host", "samen.local", "--port", "9001"), "http://samen.local:9001"),
    ],
)
def test_links_follow_the_port(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    demo, served = serve(tmp_path, *args)
    assert demo == f"{expected} -m events demo"
    assert served == f"{expected} -m events serve {' '.join(args)}".rstrip()


def test_an_explicit_base_url_wins(tmp_path: Path) -> None:
    _demo, served = serve(tmp_path, "--port", "8123", base_url="https://samen.example")
    assert served.startswith("https://samen.example -m events serve")
