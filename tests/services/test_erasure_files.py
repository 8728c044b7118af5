"""Erased means erased, also in the database files: after an erasure or a purge no byte of
the name or email is left in the SQLite file or its write-ahead log (``-wal``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from events.models import Event
from events.services import privacy
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="searches the SQLite files")

YEAR = datetime.now(UTC).year
NAME = "Wilhelmientje"
EMAIL = "wilhelmientje.zwart@example.org"


def _database_files(settings: Settings) -> list[Path]:
    path = Path(settings.database_url.removeprefix("sqlite://").split("?")[0])
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def _found(settings: Settings) -> list[str]:
    hits = []
    for path in _database_files(settings):
        data = path.read_bytes()
        hits += [f"{needle} in {path.name}" for needle in (NAME, EMAIL) if needle.encode() in data]
    return hits


async def _signed_up(settings: Settings, event: Event) -> int:
    request = reg.SignupRequest(
        first_name=NAME,
        email=EMAIL,
        birth_year=YEAR - 70,
        companions=(reg.Companion(NAME, YEAR - 20),),
    )
    outcome = await reg.sign_up(event.id, request, settings=settings)
    assert outcome.lead is not None
    return int(outcome.lead.person_id)  # type: ignore[attr-defined]


async def test_an_erased_name_is_in_no_database_file(db: Settings) -> None:
    event = await factories.event(await factories.venue(await factories.organisation()))
    person_id = await _signed_up(db, event)
    assert _found(db)  # the search works: before erasure the name is there
    await privacy.erase_person(person_id)
    assert _found(db) == []


async def test_a_purged_name_is_in_no_database_file(db: Settings) -> None:
    venue = await factories.venue(await factories.organisation())
    start = datetime.now(UTC) + timedelta(days=1)
    event = await factories.event(venue, starts_at=start, ends_at=start + timedelta(hours=2))
    await _signed_up(db, event)
    assert _found(db)
    later = start + timedelta(days=400)
    counts = await privacy.purge_expired(now=later, retention_days=180)
    assert counts["registrations"] == 2
    assert _found(db) == []
