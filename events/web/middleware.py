"""Pure ASGI middleware: the request's language, the signed-in staff member, the
security headers every response carries, and the 503 while the database does not answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events import i18n
from events.services import volunteers
from events.services.sessions import actor_for_token
from events.services.staff import Actor
from events.web.jsonapi import error_response
from events.web.templating import render

log = logging.getLogger("events")

LANG_COOKIE = "lang"


def _cookies(scope: Scope) -> dict[str, str]:
    raw = dict(scope.get("headers", [])).get(b"cookie", b"").decode("latin-1")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is treated as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


class LocaleMiddleware:
    """Sets the current locale from the ``lang`` cookie, else Accept-Language (Dutch default)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen = _cookies(scope).get(LANG_COOKIE)
        if chosen not in i18n.LOCALES:
            header = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
            chosen = i18n.negotiate(header)
        scope["locale"] = chosen

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-language", str(chosen))
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
            await send(message)

        with i18n.use_locale(str(chosen)):
            await self.app(scope, receive, send_with_language)


class ActorMiddleware:
    """Puts the signed-in staff member (or None) in ``scope["actor"]``; inside sessions.

    The session cookie holds a token of a session kept in the database; one query finds
    the live session and its staff member. A token that no longer works (signed out,
    idle too long, account disabled) is dropped from the cookie."""

    def __init__(self, app: ASGIApp, *, idle: timedelta) -> None:
        self.app = app
        self.idle = idle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith("/static/"):
            scope["actor"] = None  # files need no database look-up
        elif scope["type"] == "http":
            session = scope.get("session")
            token = session.get("sid") if session else None
            scope["actor"] = None
            if token:
                now = datetime.now(UTC)
                scope["actor"] = await actor_for_token(str(token), now=now, idle=self.idle)
                if scope["actor"] is None and session is not None:
                    session.pop("sid", None)
            elif session and session.get(PASS_KEY):
                scope["actor"] = await _door_pass_actor(scope, session)
        await self.app(scope, receive, send)


PASS_KEY = "door_pass"  # a redeemed door pass: {"id": …, "event": …} (web/volunteer.py)
# What a door pass opens: the scanner page and the door's API of its event, nothing more.
_DOOR_PATH = re.compile(r"^/(?:api/host/events/(\d+)/|host/events/(\d+)/scan$)")


async def _door_pass_actor(scope: Scope, session: dict[str, Any]) -> Actor | None:
    """A volunteer's door pass opens the door pages and API of its one event, and nothing
    else; checked again on every request, and forgotten once it no longer works."""
    remembered = session.get(PASS_KEY) or {}
    match = _DOOR_PATH.match(str(scope["path"]))
    try:
        pass_id, event_id = int(remembered["id"]), int(remembered["event"])
    except (KeyError, TypeError, ValueError):
        session.pop(PASS_KEY, None)
        return None
    if match is None or int(match.group(1) or match.group(2)) != event_id:
        return None
    tz = ZoneInfo(scope["app"].state.settings.timezone)
    actor = await volunteers.door_actor(pass_id, event_id, now=datetime.now(UTC), tz=tz)
    if actor is None:
        session.pop(PASS_KEY, None)
    return actor


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
)
_FEATURES = ("accelerometer", "geolocation", "gyroscope", "magnetometer", "microphone",
             "payment", "usb")  # fmt: skip
PERMISSIONS = ", ".join(f"{name}=()" for name in ("camera", *_FEATURES))
SCANNER_PERMISSIONS = ", ".join(["camera=(self)", *(f"{name}=()" for name in _FEATURES)])
_SCANNER = re.compile(r"^/host/events/\d+/scan$")
# Pages and downloads about people: tickets, consent, private feeds, the thank-you page,
# everything for staff (and the API the door uses), sign-in.
_PERSONAL = re.compile(
    r"^/(?:tickets|consent|feeds|organise|host|login|logout|api/host)(?:[/.]|$)"
    r"|^/events/[^/]+/(?:thanks|signup)$"
)
NO_STORE = "no-store"
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")


def holds_personal_data(scope: Scope) -> bool:
    """Whether the answer to this request may hold personal data, so nothing may keep a
    copy: a personal path, anything a signed-in staff member sees, and every answer to a
    form (it shows what was typed)."""
    return (
        bool(_PERSONAL.match(str(scope["path"])))
        or scope.get("actor") is not None
        or scope["method"] not in ("GET", "HEAD")
    )


def _bad_request(scope: Scope) -> Response:
    if str(scope["path"]).startswith("/api/"):
        return error_response("invalid_input", 400)
    return PlainTextResponse("Bad request", status_code=400)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (nothing from other hosts), no framing except where a route
    allows it, no MIME sniffing, no referrer leaks, no camera or other device features
    (the camera only on the door's scanner page), and ``Cache-Control: no-store`` on every
    answer that may hold personal data. A control character in the path (NUL, a line
    break: no route has one) or a NUL byte in the query is answered 400 before anything
    reads it (PostgreSQL refuses NUL in text)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                ancestors = scope.get("frame_ancestors", "'none'")
                headers.setdefault("content-security-policy", CSP.format(ancestors=ancestors))
                if ancestors == "'none'":
                    headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                scanner = _SCANNER.match(str(scope["path"]))
                headers["permissions-policy"] = SCANNER_PERMISSIONS if scanner else PERMISSIONS
                if holds_personal_data(scope) and NO_STORE not in headers.get("cache-control", ""):
                    headers["cache-control"] = NO_STORE
            await send(message)

        if _CONTROL_IN_PATH.search(str(scope["path"])) or b"%00" in scope.get("query_string", b""):
            await _bad_request(scope)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """While the database does not answer, a 503 with ``Retry-After`` instead of a 500:
    a page in the user's language, or under ``/api/`` the API's JSON error. ``unavailable``
    says which errors mean that (the app passes ``events.db.database_unavailable``)."""

    def __init__(self, app: ASGIApp, *, unavailable: Callable[[BaseException], bool]) -> None:
        self.app = app
        self.unavailable = unavailable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started or not self.unavailable(exc):
                raise
            log.warning("database unavailable on %s: %r", scope.get("path"), exc)
            await unavailable_response(scope)(scope, receive, send)


def unavailable_response(scope: Scope) -> Response:
    """The 503 answer: JSON under ``/api/``, else the error page."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": NO_STORE}
    if str(scope["path"]).startswith("/api/"):
        return error_response("service_unavailable", 503, headers=headers)
    request = Request(scope)
    response = render(request, "errors/error.html", {"title": None, "status": 503}, status=503)
    response.headers.update(headers)
    return response
