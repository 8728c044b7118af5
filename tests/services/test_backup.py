"""``python -m events backup`` copies a running SQLite database consistently: restored,
the copy holds every registration, also those still in the write-ahead log."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise import Tortoise

from events.db import tortoise_config
from events.models import Registration
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.conftest import BACKEND

ROOT = Path(__file__).resolve().parents[2]
YEAR = datetime.now(UTC).year


def _run(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVENTS_DATABASE_URL": settings.database_url,
           "EVENTS_DATA_DIR": str(settings.data_dir)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "events", "backup", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(BACKEND != "sqlite", reason="the online backup API is SQLite's")
async def test_a_restored_backup_holds_every_registration(db: Settings, tmp_path: Path) -> None:
    event = await factories.event(await factories.venue(await factories.organisation()))
    for n in range(40):
        request = reg.SignupRequest(
            first_name=f"P{n}", email=f"p{n}@example.org", birth_year=YEAR - 70
        )
        await reg.sign_up(event.id, request, settings=db)
    codes = set(await Registration.all().values_list("code", flat=True))
    assert len(codes) == 40
    # The site keeps its connection open (the latest rows still in the -wal file).
    target = tmp_path / "copies" / "backup.sqlite3"
    done = _run(db, "--to", str(target))
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    await Tortoise.close_connections()
    restored = db.but(database_url=f"sqlite://{target}")
    await Tortoise.init(config=tortoise_config(restored), _enable_global_fallback=True)
    assert set(await Registration.all().values_list("code", flat=True)) == codes
    # A second backup to the same file is refused rather than overwriting it.
    assert _run(db, "--to", str(target)).returncode == 1


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL only")
def test_backup_on_postgresql_points_to_pg_dump(settings: Settings) -> None:
    done = _run(settings)
    assert done.returncode == 2
    assert "pg_dump" in done.stderr and "docs/deploy.md" in done.stderr
