"""CSRF protection for every state-changing request, as pure ASGI middleware.

A random token lives in the signed session; every form carries it in a hidden
``csrf_token`` field, scripts send it in an ``X-CSRF-Token`` header. A POST/PUT/PATCH/DELETE
without the matching token is refused with 403 before any handler runs, and a form body
over 1 MB with 413. Requests to ``/api/`` from someone not signed in are exempt: they carry
no authority to forge (the staff's session decides, read the same way as everywhere), a
browser cannot send JSON cross-site without a CORS preflight, which we never grant, and the
API refuses any other body with 415 before it acts (so those answers stay JSON).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD = "csrf_token"
HEADER = b"x-csrf-token"
MAX_FORM_BYTES = 1_000_000

Rejecter = Callable[[Scope, Receive, Send], Awaitable[None]]


def csrf_token(request: Request) -> str:
    """The session's token, created on first use (call it when rendering a form)."""
    session = request.scope.get("session")
    if session is None:
        return ""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


class CSRFMiddleware:
    """Checks the token on unsafe methods; must sit inside SessionMiddleware."""

    def __init__(self, app: ASGIApp, *, reject: Rejecter) -> None:
        self.app = app
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self._exempt(scope):
            await self.app(scope, receive, send)
            return
        expected = str(scope.get("session", {}).get("csrf", ""))
        sent = headers.get(HEADER, b"").decode("latin-1")
        body_messages: list[Message] = []
        content_type = headers.get(b"content-type", b"")
        if not sent and content_type.startswith(
            (b"application/x-www-form-urlencoded", b"multipart/form-data")
        ):
            try:
                body, body_messages = await _read_body(receive)
            except _TooLarge:
                await PlainTextResponse("Request too large", 413)(scope, receive, send)
                return
            if content_type.startswith(b"multipart/form-data"):
                sent = _multipart_field(body, FIELD)
            else:
                sent = parse_qs(body.decode("utf-8", "replace")).get(FIELD, [""])[0]
        if not expected or not sent or not hmac.compare_digest(expected, sent):
            await self.reject(scope, receive, send)
            return
        await self.app(scope, _replay(body_messages, receive) if body_messages else receive, send)

    @staticmethod
    def _exempt(scope: Scope) -> bool:
        """JSON API calls of nobody signed in (no staff session, no door pass) carry no
        authority worth forging."""
        session = scope.get("session", {})
        signed_in = bool(session.get("sid") or session.get("door_pass"))
        return str(scope["path"]).startswith("/api/") and not signed_in


class _TooLarge(Exception):
    """A form body over MAX_FORM_BYTES: no form of ours is that big."""


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise _TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _multipart_field(body: bytes, name: str) -> str:
    marker = f'name="{name}"'.encode()
    at = body.find(marker)
    if at < 0:
        return ""
    start = body.find(b"\r\n\r\n", at)
    end = body.find(b"\r\n", start + 4)
    return body[start + 4 : end].decode("utf-8", "replace") if start >= 0 and end >= 0 else ""
