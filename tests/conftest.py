"""Shared fixtures: a database of its own for every test, on SQLite or PostgreSQL.

``EVENTS_TEST_DB=postgres`` runs the suite against the PostgreSQL server at
``EVENTS_TEST_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``): the
migrations are applied once to a template database, and each test gets a fresh copy
(``CREATE DATABASE … TEMPLATE``) that is dropped afterwards. On SQLite the migrated file is
copied per test. Either way the schema comes from the committed migrations.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from hypothesis import settings as hypothesis_settings
from starlette.applications import Starlette
from tortoise import Tortoise

from events.app import create_app
from events.db import migrate_database, tortoise_config
from events.settings import Settings

# Property tests draw the same examples on every run, so CI fails only where a developer's
# run failed too; set HYPOTHESIS_PROFILE=explore to search new examples.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

BACKEND = os.environ.get("EVENTS_TEST_DB", "sqlite")
PG_URL = os.environ.get("EVENTS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
SECRET = "test-secret-key-not-for-production"


def pytest_report_header() -> str:
    return f"events database backend: {BACKEND}"


def _pg_url(database: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + database


async def _pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def make_settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=SECRET,
        run_worker_in_process=False,
    )


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database to copy per test: an SQLite file path or a PostgreSQL db name."""
    if BACKEND == "postgres":
        name = f"events_tmpl_{uuid.uuid4().hex[:10]}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        settings = make_settings(tmp_path_factory.mktemp("pg"), _pg_url(name))
        asyncio.run(migrate_database(settings))
        yield name
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    asyncio.run(migrate_database(make_settings(folder, f"sqlite://{path}")))
    yield str(path)


@pytest_asyncio.fixture
async def database_url(template_database: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, migrated database for one test."""
    if BACKEND == "postgres":
        name = f"events_t_{uuid.uuid4().hex[:12]}"
        await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
        yield _pg_url(name)
        await Tortoise.close_connections()
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = tmp_path / "events.sqlite3"
    shutil.copyfile(template_database, path)
    yield f"sqlite://{path}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest_asyncio.fixture
async def db(settings: Settings) -> AsyncIterator[Settings]:
    """Tortoise connected to the test's database, for service tests without HTTP."""
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    yield settings
    await Tortoise.close_connections()


@pytest_asyncio.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    """The real app with its lifespan running (database connected)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest_asyncio.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", follow_redirects=False
    ) as http:
        yield http
