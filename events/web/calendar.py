"""Calendar feeds, the Atom feed and the embeddable listing: thin handlers.

``/calendar.ics`` (``?town=``), ``/venues/{slug}/calendar.ics``,
``/organisations/{slug}/calendar.ics``, ``/events/{slug}/event.ics`` (a download),
``/feeds/{token}.ics`` (one participant's private feed), ``/feed.atom`` (``?town=``) and
``/embed`` (``?town=``, ``?venue=`` or ``?organisation=``; framing allowed only for the
origins in ``settings.frame_ancestors``). Every handler computes its validator first and
answers 304 before building a body. Imports the calendar and event services, the pure
builders, caching and templating.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.calendars import FeedInfo, build_atom, build_calendar
from events.i18n import gettext as _
from events.services import calendars as calendar_service
from events.services import listing
from events.services.calendars import FeedScope
from events.services.forms import one_line, slugify
from events.settings import Settings
from events.urls import Urls
from events.web import caching
from events.web.templating import render

ICS_TYPE = "text/calendar; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
EMBED_LIMIT = 20
# A CSP source expression we pass through: a scheme and host (wildcard sub-domain and port
# allowed) or 'self'. Anything else in the setting is dropped, so it cannot break the header.
_ORIGIN = re.compile(r"^(?:'self'|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?)$")


def private_feed_path(token: str) -> str:
    """Where a participant's own feed lives (shown on the ticket page)."""
    return Urls.path("calendar_private", token=token)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _info(request: Request, name: str, *, description: str = "") -> FeedInfo:
    settings = _settings(request)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return FeedInfo(
        name=one_line(name),  # a line break would break the calendar's own lines
        base_url=settings.base_url,
        timezone=settings.timezone,
        description=one_line(description),
        path=path,
    )


def _ics(body: bytes, filename: str, *, attachment: bool = False) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        body,
        media_type=ICS_TYPE,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}.ics"'},
    )


async def _feed(
    request: Request,
    scope: FeedScope,
    *,
    name: str,
    filename: str,
    cache_control: str = caching.FEED_CACHE,
) -> Response:
    now = datetime.now(UTC)
    freshness = await calendar_service.feed_freshness(scope, now=now)
    found = caching.validator(request, freshness, name, cache_control=cache_control)
    if (unchanged := caching.not_modified(request, found)) is not None:
        return unchanged
    bodies: caching.BodyCache = request.app.state.feed_bodies
    body = bodies.get(found.etag)
    if body is None:
        events = await calendar_service.feed_events(scope, now=now)
        description = _("Phone-free activities where young and older people meet.")
        info = _info(request, name, description=description)
        body = build_calendar(events, info, cache=request.app.state.vevents)
        bodies.put(found.etag, body)
    return caching.finish(_ics(body, filename), found)


async def all_calendar(request: Request) -> Response:
    town = await calendar_service.town_name(one_line(request.query_params.get("town", "")))
    name = f"Samen Offline · {town}" if town else "Samen Offline"
    filename = f"samen-offline-{slugify(town)}" if town else "samen-offline"
    return await _feed(request, FeedScope(town=town), name=name, filename=filename)


async def venue_calendar(request: Request) -> Response:
    venue = await listing.public_venue(request.path_params["slug"])
    name = f"{venue.name} · Samen Offline"
    return await _feed(request, FeedScope(venue_id=venue.id), name=name, filename=venue.slug)


async def organisation_calendar(request: Request) -> Response:
    organisation = await listing.public_organisation(request.path_params["slug"])
    return await _feed(
        request,
        FeedScope(organisation_id=organisation.id),
        name=f"{organisation.name} · Samen Offline",
        filename=organisation.slug,
    )


async def private_calendar(request: Request) -> Response:
    """One participant's confirmed events. The token is the only key; erasure removes it."""
    person = await calendar_service.person_by_feed_token(request.path_params["token"])
    response = await _feed(
        request,
        FeedScope(person_id=person.id),
        name=_("My activities") + " · Samen Offline",
        filename="samen-offline-mine",
        cache_control=caching.PRIVATE_FEED_CACHE,
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


async def event_file(request: Request) -> Response:
    """One event as a file to open in a calendar app ("add to calendar")."""
    slug = request.path_params["slug"]
    freshness = await calendar_service.event_file_freshness(slug)
    found = caching.validator(request, freshness, cache_control=caching.FEED_CACHE)
    if (unchanged := caching.not_modified(request, found)) is not None:
        return unchanged
    event = await calendar_service.event_for_file(slug)
    body = build_calendar([event], _info(request, event.title))
    return caching.finish(_ics(body, slug, attachment=True), found)


async def atom_feed(request: Request) -> Response:
    """Newly published activities, for portals and feed readers."""
    town = await calendar_service.town_name(one_line(request.query_params.get("town", "")))
    now = datetime.now(UTC)
    freshness = await calendar_service.atom_freshness(now=now, town=town)
    found = caching.validator(request, freshness, cache_control=caching.FEED_CACHE)
    if (unchanged := caching.not_modified(request, found)) is not None:
        return unchanged
    events = await calendar_service.newly_published(now=now, town=town)
    name = _("New activities") + (f" · {town}" if town else "") + " · Samen Offline"
    fmt = i18n.Formatter(_settings(request).timezone)
    body = build_atom(events, _info(request, name), when=fmt.full)
    return caching.finish(Response(body, media_type=ATOM_TYPE), found)


def frame_ancestors(origins: Sequence[str]) -> str:
    """The CSP ``frame-ancestors`` sources for the embed: the listed origins, or 'none'."""
    allowed = [origin for origin in origins if _ORIGIN.match(origin)]
    return " ".join(allowed) if allowed else "'none'"


async def embed(request: Request) -> Response:
    """A compact list for an iframe on a municipality or library site."""
    request.scope["frame_ancestors"] = frame_ancestors(_settings(request).frame_ancestors)
    params = request.query_params
    town = await calendar_service.town_name(one_line(params.get("town", "")))
    venue = organisation = None
    if params.get("venue"):
        venue = await listing.public_venue(params["venue"])
    elif params.get("organisation"):
        organisation = await listing.public_organisation(params["organisation"])
    now = datetime.now(UTC)
    freshness = await calendar_service.listing_freshness(
        now=now,
        venue_id=venue.id if venue else None,
        organisation_id=organisation.id if organisation else None,
    )
    found = caching.validator(request, freshness)
    if (unchanged := caching.not_modified(request, found)) is not None:
        return unchanged
    events = await listing.upcoming_events(
        now=now,
        town=None if venue or organisation else town,
        venue_slug=venue.slug if venue else None,
        organisation_slug=organisation.slug if organisation else None,
        limit=EMBED_LIMIT,
    )
    if venue:
        title, more_path = venue.name, Urls.path("venue_detail", slug=venue.slug)
        feed_path = Urls.path("calendar_venue", slug=venue.slug)
    elif organisation:
        title = organisation.name
        more_path = Urls.path("organisation_detail", slug=organisation.slug)
        feed_path = Urls.path("calendar_organisation", slug=organisation.slug)
    else:
        query = {"town": town or ""}
        title = town or "Samen Offline"
        more_path, feed_path = Urls.path("home", query), Urls.path("calendar_all", query)
    context = {"events": events, "title": title, "feed_path": feed_path, "more_path": more_path}
    return caching.finish(render(request, "public/embed.html", context), found)


routes = [
    Route("/calendar.ics", all_calendar, name="calendar_all"),
    Route("/venues/{slug}/calendar.ics", venue_calendar, name="calendar_venue"),
    Route(
        "/organisations/{slug}/calendar.ics", organisation_calendar, name="calendar_organisation"
    ),
    Route("/events/{slug}/event.ics", event_file, name="calendar_event"),
    Route("/feeds/{token}.ics", private_calendar, name="calendar_private"),
    Route("/feed.atom", atom_feed, name="atom_feed"),
    Route("/embed", embed, name="embed"),
]
