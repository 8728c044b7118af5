"""The README documents every setting and every command (a test fails when one is not)."""

from __future__ import annotations

import re
from pathlib import Path

from events.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme() -> None:
    source = (ROOT / "events" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r'"(EVENTS_[A-Z_]+)"', source))
    assert len(names) >= 10
    assert not {n for n in names if f"`{n}`" not in readme}


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    missing = {name for name in commands if f"python -m events {name}" not in readme}
    assert not missing
