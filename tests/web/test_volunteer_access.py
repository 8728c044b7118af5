"""A checker and someone holding only volunteer links (a task, their page, a door pass)
get no data from any organiser, host or staff API route: 403 or 404 for the checker, a
redirect to sign in, 401, 403 or 404 for the volunteer. Every such route of the app is
tried, with real ids, so a new route is covered the day it is added."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from events.models import (
    DoorPass,
    Group,
    Registration,
    RegistrationStatus,
    Role,
    TaskKind,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services.staff import create_user
from events.tickets import new_code
from tests import factories
from tests.web.helpers import csrf_token, sign_in

# A body that passes the staff API's shape checks, so the answer is about access.
BODY = {"code": "ABCDEFGH", "nonce": "nonce-1", "device_id": "device", "scans": []}
SECRET_NAME = "Geheime Gerda"
SECRET_EMAIL = "gerda@example.org"
PUBLIC_API = {"api_openapi", "api_events", "api_event", "api_registrations", "api_fallback"}
# door_sw is the scanner's service worker script: a static file, no data.
EMPTY_FOR_A_CHECKER = {"door_sw"}


def _staff_routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Mount) and route.path == "/api":
            found += _staff_routes(list(route.routes), "/api")
        elif isinstance(route, Route):
            path = prefix + route.path
            staff = path.startswith(("/organise", "/host")) or (
                prefix == "/api" and route.name not in PUBLIC_API
            )
            if staff:
                found.append((path, route))
    return found


@pytest.fixture
async def world(client: httpx.AsyncClient) -> dict[str, object]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, title="Verborgen avond", starts_at=datetime.now(UTC))
    registration = await Registration.create(
        event=event, code=new_code(), first_name=SECRET_NAME, email=SECRET_EMAIL,
        group=Group.OLDER, status=RegistrationStatus.CONFIRMED,
    )  # fmt: skip
    task = await VolunteerTask.create(
        event=event, kind=TaskKind.COFFEE, starts_at=event.starts_at, ends_at=event.ends_at
    )
    volunteer = await Volunteer.create(
        organisation=org, first_name="Vera", email="vera@example.org", token="vera"
    )
    shift = await VolunteerShift.create(task=task, volunteer=volunteer, token="vera-shift")
    door_pass = await DoorPass.create(event=event, code="ABCDEF", token="pass-token")
    await create_user(
        "checker@example.org", factories.PASSWORD, role=Role.CHECKER, organisation=org
    )
    return {
        "event_id": event.id,
        "registration_id": registration.id,
        "venue_id": venue.id,
        "task_id": task.id,
        "shift_id": shift.id,
        "volunteer_id": volunteer.id,
        "pass_id": door_pass.id,
        "series_id": 1,
        "message_id": 1,
        "check_id": 1,
        "slug": event.slug,
        "code": registration.code,
        "format": "csv",
        "action": "cancel",
        "name": "x.jpg",
    }


def _fill(path: str, values: dict[str, object]) -> str:
    for key, value in values.items():
        for convertor in ("", ":int", ":str", ":path"):
            path = path.replace("{" + key + convertor + "}", str(value))
    return re.sub(r"\{\w+(:\w+)?\}", "1", path)  # ids of routes added later


async def _try_all(
    client: httpx.AsyncClient,
    app: Starlette,
    values: dict[str, object],
    token: str,
    opened: tuple[str, ...] = (),
) -> list[tuple[str, str, int, str]]:
    """Every staff route as this client; ``opened`` are the routes a door pass opens on
    purpose (its event's scanner and door API), where its event's names may show."""
    answers = []
    for path, route in _staff_routes(list(app.routes)):
        url = _fill(path, values)
        for method in sorted(route.methods or {"GET"}):
            if method == "HEAD":
                continue
            headers = {"X-CSRF-Token": token}
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.request(method, url, headers=headers, json=BODY)
            answers.append(
                (method, url, response.status_code, response.headers.get("location", ""))
            )
            if url.startswith(opened) and opened:
                continue
            assert SECRET_NAME not in response.text and SECRET_EMAIL not in response.text, url
            assert "Verborgen avond" not in response.text, url
    return answers


async def test_a_checker_gets_403_or_404_everywhere_staff_go(
    client: httpx.AsyncClient, app: Starlette, world: dict[str, object]
) -> None:
    await sign_in(client, "checker@example.org")
    token = await csrf_token(client, "/checks/")
    answers = await _try_all(client, app, world, token)
    assert len(answers) > 30
    for method, url, status, _location in answers:
        name = next(r.name for p, r in _staff_routes(list(app.routes)) if _fill(p, world) == url)
        if name in EMPTY_FOR_A_CHECKER:
            assert status == 200, url
            continue
        assert status in (403, 404), (method, url, status)


async def test_volunteer_links_open_nothing_of_the_staff(
    client: httpx.AsyncClient, app: Starlette, world: dict[str, object]
) -> None:
    assert (await client.get("/volunteer/vera")).status_code == 200
    assert (await client.get("/help/vera-shift")).status_code == 200
    token = await csrf_token(client, "/door-pass")
    await DoorPass.filter(id=world["pass_id"]).update(created_at=datetime.now(UTC))
    redeemed = await client.post("/door-pass", data={"csrf_token": token, "code": "abc def"})
    assert redeemed.status_code in (303, 409)  # 409 only outside the pass's window
    door_pass = await DoorPass.get(id=world["pass_id"])
    scanner = f"/host/events/{door_pass.event_id}/scan"
    opened = (scanner, f"/api/host/events/{door_pass.event_id}/")
    answers = await _try_all(client, app, world, token, opened)
    if redeemed.status_code == 303:  # the pass opens its own scanner, and only that
        assert (await client.get(scanner)).status_code == 200
    for method, url, status, location in answers:
        if url.startswith(opened):
            continue
        if url == "/host/sw.js":  # the scanner's service worker script: no data
            continue
        if status == 303:
            assert location.startswith("/login"), url
        else:
            assert status in (401, 403, 404), (method, url, status)


async def test_checker_pages_refuse_other_staff(
    client: httpx.AsyncClient, world: dict[str, object]
) -> None:
    org_user = await factories.organiser(await factories.organisation(), email="o@example.org")
    assert org_user.role == Role.ORGANISER
    await sign_in(client, "o@example.org")
    for path in ("/checks/", "/checks/1", "/checks/1/photos/x.jpg"):
        assert (await client.get(path)).status_code == 404, path
