"""The bare baseline: a Starlette app with one plain-text route, no middleware, no database.

Served by ``_serve.py`` exactly as the real app is (same uvicorn, same socket, same options),
so the ratio of the two says what the app costs on top of the framework and server.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("Hello, world!")


app = Starlette(routes=[Route("/", hello)])
