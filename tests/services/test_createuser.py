"""``createuser --venue`` and the service behind it: a host serves only venues of their own
organisation."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from tortoise import Tortoise

from events.__main__ import main
from events.db import tortoise_config
from events.models import Role, StaffUser
from events.services.errors import FormError
from events.services.staff import create_user
from events.settings import Settings
from tests import factories
from tests.factories import PASSWORD


async def test_a_host_cannot_be_given_a_venue_of_another_organisation(db: Settings) -> None:
    own, other = await factories.organisation(), await factories.organisation()
    theirs = await factories.venue(other)
    with pytest.raises(FormError) as refused:
        await create_user(
            "host@example.org", PASSWORD, role=Role.HOST, organisation=own, venues=[theirs]
        )
    assert refused.value.errors == {"venues": "venue_other_organisation"}
    assert not await StaffUser.filter(email="host@example.org").exists()


async def _two_organisations(settings: Settings) -> None:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        own = await factories.organisation(slug="own")
        other = await factories.organisation(slug="other")
        await factories.venue(own, slug="own-cafe")
        await factories.venue(other, slug="other-cafe")
    finally:
        await Tortoise.close_connections()


async def _users(settings: Settings) -> list[str]:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        return [str(e) for e in await StaffUser.all().values_list("email", flat=True)]
    finally:
        await Tortoise.close_connections()


def _createuser(venue: str, email: str) -> int:
    return main(
        ["createuser", "--email", email, "--role", "host", "--organisation", "own",
         "--venue", venue, "--password-stdin"]
    )  # fmt: skip


def test_createuser_refuses_a_venue_of_another_organisation(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EVENTS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EVENTS_DATA_DIR", str(tmp_path))
    asyncio.run(_two_organisations(settings))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert _createuser("other-cafe", "wrong@example.org") == 1
    assert "other-cafe" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert _createuser("own-cafe", "right@example.org") == 0
    assert asyncio.run(_users(settings)) == ["right@example.org"]
