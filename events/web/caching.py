"""HTTP conditional requests for feeds and public pages: ETag and Last-Modified.

A handler asks a service for a cheap :class:`~events.services.calendars.Freshness` (a few
aggregate queries), turns it into a :class:`Validator` here, and calls :func:`not_modified`
*before* building the body: a matching ``If-None-Match`` (or, without one,
``If-Modified-Since``) answers 304 at once. Otherwise :func:`finish` puts the validator on
the full response. Imports Starlette and the services' Freshness only.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from events import i18n
from events.services.calendars import Freshness

PAGE_CACHE = "no-cache"  # browsers keep the page but ask every time (a 304 is cheap)
FEED_CACHE = "public, max-age=900"
PRIVATE_FEED_CACHE = "private, no-store"  # one person's activities: kept nowhere


@dataclass(frozen=True)
class Validator:
    """A strong entity tag and a modification time for one representation."""

    etag: str
    last_modified: datetime
    cache_control: str = PAGE_CACHE

    @property
    def quoted(self) -> str:
        return f'"{self.etag}"'

    @property
    def http_date(self) -> str:
        return format_datetime(self.last_modified.astimezone(UTC).replace(microsecond=0), True)


def validator(
    request: Request, freshness: Freshness, *parts: object, cache_control: str = PAGE_CACHE
) -> Validator:
    """The validator of this request's representation: the data's freshness, the path and
    query, the language, and whatever else the handler renders (``parts``)."""
    tag = freshness.tag(request.url.path, request.url.query, i18n.current_locale(), *parts)
    return Validator(tag, freshness.last_change, cache_control)


def cacheable(request: Request) -> bool:
    """Signed-in staff see their own bar and CSRF token: their pages are never validated."""
    return request.scope.get("actor") is None


def _headers(found: Validator) -> dict[str, str]:
    return {
        "ETag": found.quoted,
        "Last-Modified": found.http_date,
        "Cache-Control": found.cache_control,
    }


def _matches(header: str, found: Validator) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == found.quoted for tag in tags)


def not_modified(request: Request, found: Validator) -> Response | None:
    """A 304 when the client's copy is current, else None (then build the body)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        fresh = _matches(if_none_match, found)
    else:
        since = _parse_http_date(request.headers.get("if-modified-since"))
        fresh = since is not None and found.last_modified.replace(microsecond=0) <= since
    return Response(status_code=304, headers=_headers(found)) if fresh else None


def finish(response: Response, found: Validator) -> Response:
    """Put the validator on a full (200) response."""
    response.headers.update(_headers(found))
    return response


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class BodyCache:
    """The latest built bodies by entity tag, up to ``max_bytes``: an unconditional repeat
    request (many calendar apps send no If-None-Match) costs a look-up, not a rebuild. The
    tag covers the data's freshness, path, query and language, so a hit is always current."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def get(self, tag: str) -> bytes | None:
        body = self._bodies.get(tag)
        if body is not None:
            self._bodies.move_to_end(tag)
        return body

    def put(self, tag: str, body: bytes) -> None:
        if len(body) > self.max_bytes or tag in self._bodies:
            return
        self._bodies[tag] = body
        self._size += len(body)
        while self._size > self.max_bytes:
            _old, dropped = self._bodies.popitem(last=False)
            self._size -= len(dropped)
