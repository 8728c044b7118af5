"""``GET /healthz``: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from events.services.health import database_problem


async def healthz(request: Request) -> JSONResponse:
    problem = await database_problem()
    if problem is not None:
        return JSONResponse({"status": "unavailable", "database": problem}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


routes = [Route("/healthz", healthz, name="healthz")]
