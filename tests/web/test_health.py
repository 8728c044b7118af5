"""``/healthz`` answers 200 with a database, 503 without one."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from events.app import create_app
from tests.conftest import make_settings


async def test_healthz_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_healthz_503_when_database_does_not_answer(tmp_path: Path, kind: str) -> None:
    url = (
        f"sqlite://{tmp_path}/missing-folder/events.sqlite3"
        if kind == "sqlite"
        else f"postgres://postgres@127.0.0.1:{_closed_port()}/test"
    )
    app = create_app(make_settings(tmp_path, url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
