"""Pure ASGI middleware: the request's language, the signed-in staff member, and the
security headers every response carries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events import i18n
from events.services.sessions import actor_for_token

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
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (nothing from other hosts), no framing except where a route
    allows it, no MIME sniffing, no referrer leaks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b""):
            # A NUL byte is never meaningful input, and PostgreSQL refuses it in text.
            await PlainTextResponse("Bad request", status_code=400)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                ancestors = scope.get("frame_ancestors", "'none'")
                headers.setdefault(
                    "content-security-policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    "script-src 'self'; object-src 'none'; base-uri 'self'; "
                    f"form-action 'self'; frame-ancestors {ancestors}",
                )
                if ancestors == "'none'":
                    headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)
