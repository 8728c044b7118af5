"""Hypothesis over every route of the site: each HTML form (with its CSRF token, so the
handler itself reads the input) and each route of the door's JSON API, signed in as an
organiser, as a host and as nobody. Path parameters, form fields, query values and JSON
bodies are drawn from hostile values: control characters and NUL, very long text,
integers of 2^31 and more, dates at the ends of the calendar, wrong JSON types, deep
nesting. Any 5xx fails; under /api/ every answer must be JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from events.app import create_app
from events.settings import Settings
from tests.fuzz.conftest import EXAMPLES
from tests.web.helpers import csrf_token, sign_in

ROOT = Path(__file__).resolve().parents[2]
FIELDS = sorted(
    set(re.findall(r'name="([a-z_0-9]+)"', " ".join(
        p.read_text() for p in (ROOT / "templates").rglob("*.html")
    ))) - {"csrf_token"}
)  # fmt: skip
JSON_KEYS = ["code", "nonce", "device_id", "scanned_at", "scans", "first_name", "group",
             "email", "override", "pouch", "admit", "registration_id", "other_event_id",
             "birth_year", "q"]  # fmt: skip
NO_SHRINKING = (Phase.explicit, Phase.generate)
"""Each example is a request to the app: report the first failure as found, unshrunk."""
SKIP = {"logout", "logout_everywhere", "set_language", "static"}
"""Signing out would end the fuzzing session; the language switch only sets a cookie."""

EDGE_TEXT = ["", "\x00", "a\x00b", "\r\n", "x" * 5000, "0001-01-01", "9999-12-31",
             "2030-02-30", str(2**31), str(2**63), "-1", "NaN", "<script>", "../..",
             "%00", "\u202e", "25:99", "19:00"]  # fmt: skip
text = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=300))
path_value = st.one_of(
    st.sampled_from(["0", "-1", str(2**31), str(2**40), str(2**63), "x" * 300, "a%0Ab", "%00"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).map(
        lambda raw: quote(raw, safe="")
    ),
)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False), text,
)  # fmt: skip
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(JSON_KEYS), st.text(max_size=8)), inner,
                        max_size=6),
    ),
    max_leaves=20,
)  # fmt: skip
json_body = st.one_of(
    st.dictionaries(st.sampled_from(JSON_KEYS), json_value, max_size=8),
    st.fixed_dictionaries({"scans": st.lists(
        st.dictionaries(st.sampled_from(JSON_KEYS), json_value, max_size=6), max_size=5)}),
    json_value,
    st.just("[" * 5000 + "]" * 5000),
)  # fmt: skip


def _routes(app: Starlette) -> list[tuple[str, str, Route]]:
    """(prefix, method, route) for every HTML route and every door API route."""
    found: list[tuple[str, str, Route]] = []
    for route in app.routes:
        if isinstance(route, Mount) and route.path == "/api":
            found += [("/api", m, r) for r in route.routes if isinstance(r, Route)
                      and r.path.startswith("/host/") for m in sorted(r.methods or ())]  # fmt: skip
        elif isinstance(route, Route) and route.name not in SKIP:
            found += [("", m, route) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def _fill(route: Route, real: dict[str, str], draw: Callable[[Any], Any]) -> str:
    path = route.path
    for name, convertor in route.param_convertors.items():
        if draw(st.booleans()) and name in real:
            value = real[name]
        elif type(convertor).__name__ == "IntegerConvertor":
            value = str(draw(st.integers(min_value=0, max_value=2**70)))
        else:
            value = draw(path_value)
        pattern = "{" + name + (":" + route.path.split("{" + name + ":", 1)[1].split("}")[0]
                                if "{" + name + ":" in path else "") + "}"  # fmt: skip
        path = path.replace(pattern, value)
    return path


@pytest.fixture
async def site(
    seeded: tuple[Settings, dict[str, object]],
) -> AsyncIterator[tuple[Starlette, dict[str, str]]]:
    fuzz_settings, rows = seeded
    app = create_app(fuzz_settings)
    async with app.router.lifespan_context(app):
        real = {"event_id": str(rows["event"]), "venue_id": str(rows["venue"]),
                "slug": str(rows["slug"])}  # fmt: skip
        yield app, real


async def _client(app: Starlette, who: str | None) -> tuple[httpx.AsyncClient, str]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    if who is not None:
        await sign_in(client, who)
    return client, await csrf_token(client, "/login")


@pytest.mark.parametrize(
    ("who", "share"), [("org@fuzz.example", 1.0), ("host@fuzz.example", 0.5), (None, 0.5)]
)
async def test_no_route_answers_5xx(
    site: tuple[Starlette, dict[str, str]], who: str | None, share: float
) -> None:
    """Organisers reach every route; hosts and strangers get fewer examples (most of what
    they try is refused at once)."""
    app, real = site
    examples = max(3, int(EXAMPLES * share))
    client, token = await _client(app, who)
    failures: list[str] = []
    try:
        for prefix, method, route in _routes(app):
            failure = await _fuzz_route(client, token, prefix, method, route, real, examples)
            if failure:
                failures.append(failure)
    finally:
        await client.aclose()
    assert not failures, "\n".join(failures)


async def _fuzz_route(
    client: httpx.AsyncClient, token: str, prefix: str, method: str, route: Route,
    real: dict[str, str], examples: int,
) -> str | None:  # fmt: skip
    """Draws requests for one route; returns the first failure found, or None. Hypothesis
    runs in a thread and hands each request to this event loop (it has no async tests of
    its own), so the app runs where its database connection lives."""
    loop = asyncio.get_running_loop()
    found: list[str] = []

    @given(data=st.data())
    @settings(max_examples=examples, deadline=None, database=None, phases=NO_SHRINKING,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(data: st.DataObject) -> None:
        path = prefix + _fill(route, real, data.draw)
        query = data.draw(st.dictionaries(st.sampled_from(["q", "town", "from", "venue", "next",
                                                           "organisation", "day"]), text,
                                          max_size=3))  # fmt: skip
        kwargs: dict[str, Any] = {"params": query, "headers": {"x-csrf-token": token}}
        if method != "GET" and prefix:
            body = data.draw(json_body)
            raw = body if isinstance(body, str) and body.startswith("[[") else json.dumps(body)
            kwargs["content"] = raw.encode("utf-8", "surrogatepass")
            kwargs["headers"]["content-type"] = "application/json"
        elif method != "GET":
            form = data.draw(st.dictionaries(st.sampled_from(FIELDS), text, max_size=12))
            kwargs["data"] = {**form, "csrf_token": token}
        call = client.request(method, path, **kwargs)
        response = asyncio.run_coroutine_threadsafe(call, loop).result(timeout=120)
        sent = kwargs.get("data") or kwargs.get("content", b"")[:200]
        where = f"{method} {path[:120]!r} {query!r} {sent!r}"[:600]
        if response.status_code >= 500:
            found.append(f"{response.status_code} on {where}")
        elif (
            path.startswith("/api/")
            and response.status_code != 304
            and not response.headers.get("content-type", "").startswith("application/json")
        ):
            found.append(f"not JSON ({response.status_code}) on {where}")
        assert not found, found[-1]

    with contextlib.suppress(AssertionError):  # the failure is in ``found``
        await asyncio.to_thread(run)
    return found[0] if found else None
