"""Small parsers that turn submitted text into typed values or a field error code.

Shared by every service that validates a form or a JSON body. Pure; imports nothing of ours.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, time

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""Dates outside these are refused as ``invalid_date``: no activity or birthday is there,
and times near the ends of the calendar overflow when moved between time zones."""
ONE_LINE_UP_TO = 300
"""Text fields up to this length (names, titles, addresses, emails) are one line."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Fields:
    """Reads one submitted mapping, collecting an error code per field instead of raising."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def fail(self, name: str, code: str) -> None:
        self.errors.setdefault(name, code)

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str:
        """Trimmed text. Fields up to :data:`ONE_LINE_UP_TO` characters are one line (line
        breaks and tabs become spaces, so a title cannot break a mail header or a calendar
        line); longer ones keep their lines. Other control characters are dropped."""
        value = one_line(self.data.get(name)) if max_length <= ONE_LINE_UP_TO else None
        if value is None:
            raw = str(self.data.get(name) or "").replace("\r\n", "\n").replace("\r", "\n")
            value = _CONTROL.sub("", raw).strip()
        if required and not value:
            self.fail(name, "required")
        elif len(value) > max_length:
            self.fail(name, "too_long")
        return value

    def integer(self, name: str, *, default: int, low: int, high: int) -> int:
        raw = str(self.data.get(name) if self.data.get(name) is not None else "").strip()
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            self.fail(name, "not_a_number")
            return default
        if not low <= value <= high:
            self.fail(name, "out_of_range")
        return value

    def boolean(self, name: str) -> bool:
        return str(self.data.get(name) or "").lower() in ("1", "on", "true", "yes")

    def choice(self, name: str, options: tuple[str, ...], *, default: str) -> str:
        value = str(self.data.get(name) or default)
        if value not in options:
            self.fail(name, "invalid_choice")
            return default
        return value

    def day(self, name: str) -> date | None:
        raw = str(self.data.get(name) or "").strip()
        if not raw:
            self.fail(name, "required")
            return None
        found = parse_day(raw)
        if found is None:
            self.fail(name, "invalid_date")
        return found

    def clock(self, name: str) -> time | None:
        raw = str(self.data.get(name) or "").strip()
        if not raw:
            self.fail(name, "required")
            return None
        try:
            return time.fromisoformat(raw).replace(second=0, microsecond=0)
        except ValueError:
            self.fail(name, "invalid_time")
            return None


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, *, max_length: int = 60) -> str:
    """ASCII, lower case, words joined by hyphens: "Café De Ster" -> "cafe-de-ster"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


MAX_ID = 2**31 - 1


def parse_id(raw: object) -> int:
    """A database id from a path or form value; -1 (never found) for anything else, so a
    huge or non-ASCII number becomes a 404 instead of a database error."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return -1
    value = int(text)
    return value if value <= MAX_ID else -1


def parse_day(raw: str | None) -> date | None:
    """``2026-03-14`` -> a date; None for empty or malformed input, and for dates outside
    :data:`FIRST_DAY` … :data:`LAST_DAY`."""
    try:
        found = date.fromisoformat(raw.strip()) if raw and len(raw) <= 32 else None
    except ValueError:
        return None
    return found if found is not None and FIRST_DAY <= found <= LAST_DAY else None


def one_line(raw: object) -> str:
    """Text on one trimmed line without control characters (for query values, titles)."""
    return " ".join(_CONTROL.sub("", str(raw or "")).split())
