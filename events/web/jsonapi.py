"""What every JSON endpoint under ``/api/`` shares: the one error shape, the one body
reader and the one :class:`BadBody`, and :class:`JSONErrors`, the middleware of the
``/api`` mount that turns any error into that shape (services' errors by their category,
anything unexpected as a logged JSON 500, never an HTML page).

Imports ``services.errors``, ``web.errors`` and ``web.messages``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events.services.errors import EventsError, FormError
from events.web.errors import status_for
from events.web.messages import error_text

log = logging.getLogger("events.api")

MAX_BODY_BYTES = 256_000
NO_STORE = {"Cache-Control": "no-store"}


class BadBody(Exception):
    """The body is not JSON of the expected shape (or too large, or not JSON at all):
    answered before any rule is checked."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


def error_response(
    code: str,
    status: int,
    *,
    fields: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The one error shape of the API, with sentences in the request's language."""
    body: dict[str, Any] = {"code": code, "message": error_text(code)}
    if fields:
        body["fields"] = {
            name: {"code": field_code, "message": error_text(field_code)}
            for name, field_code in fields.items()
        }
    return JSONResponse({"error": body}, status_code=status, headers=dict(headers or {}))


def is_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json"


async def read_json(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """The request's JSON body, or BadBody (415 not JSON, 413 too large, 400 unreadable)."""
    if not is_json(request):
        raise BadBody("unsupported_media_type", 415)
    body = await request.body()
    if len(body) > max_bytes:
        raise BadBody("too_large", 413)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody("invalid_json", 400) from None


async def read_json_object(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    data = await read_json(request, max_bytes=max_bytes)
    if not isinstance(data, dict):
        raise BadBody("invalid_json", 400)
    return data


def error_for(exc: Exception) -> JSONResponse:
    """The JSON answer for an error raised under ``/api/``."""
    if isinstance(exc, BadBody):
        return error_response(exc.code, exc.status)
    if isinstance(exc, FormError):
        return error_response("invalid_input", status_for(exc), fields=exc.errors)
    if isinstance(exc, EventsError):
        return error_response(exc.code, status_for(exc))
    if isinstance(exc, HTTPException):
        code = "not_found" if exc.status_code == 404 else "invalid_input"
        return error_response(code, exc.status_code, headers=exc.headers)
    return error_response("server_error", 500)


class JSONErrors:
    """Pure ASGI middleware of the ``/api`` mount: every error becomes a JSON answer, except
    those ``passthrough`` names (the database not answering), which the app's own
    middleware answers with a 503 (JSON under ``/api/`` as well). Errors ``invalid`` names
    (a value the database columns cannot hold) are a 400 ``invalid_input``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        passthrough: Callable[[BaseException], bool] | None = None,
        invalid: Callable[[BaseException], bool] | None = None,
    ) -> None:
        self.app = app
        self.passthrough = passthrough or (lambda exc: False)
        self.invalid = invalid or (lambda exc: False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        # The app's HTML handlers do not apply here: errors reach this middleware.
        scope = {**scope, "starlette.exception_handlers": ({}, {})}
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started or self.passthrough(exc):
                raise
            if self.invalid(exc):
                await error_response("invalid_input", 400)(scope, receive, send)
                return
            if not isinstance(exc, EventsError | BadBody | HTTPException):
                log.exception("unhandled error on %s", scope.get("path"), exc_info=exc)
            await error_for(exc)(scope, receive, send)
