"""Public pages: upcoming events, one event, a venue, an organisation, privacy, language."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events import i18n
from events.calendars import schema_org_event
from events.services import calendars as calendar_service
from events.services import listing, organisations, places, registrations, volunteers
from events.services.calendars import Freshness, to_calendar_event
from events.services.errors import NotFound
from events.services.forms import parse_day
from events.services.records import Event
from events.urls import Urls
from events.web import caching, checks
from events.web.auth import safe_next
from events.web.csrf import csrf_token
from events.web.labels import INTEREST_LABELS, LANGUAGE_LABELS, NEED_LABELS
from events.web.middleware import LANG_COOKIE
from events.web.templating import render


def _tz(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


async def home(request: Request) -> Response:
    tz = _tz(request)
    town = request.query_params.get("town", "").strip() or None
    venue = request.query_params.get("venue", "").strip() or None
    raw_from = request.query_params.get("from")
    from_day = parse_day(raw_from)
    now = datetime.now(UTC)
    found = None
    if caching.cacheable(request):
        found = caching.validator(request, await calendar_service.listing_freshness(now=now))
        if (unchanged := caching.not_modified(request, found)) is not None:
            return unchanged
    page = await listing.upcoming_page(
        now=now,
        page=listing.page_number(request.query_params.get("page")),
        town=town,
        venue_slug=venue,
        from_day=listing.start_of_day(from_day, tz) if from_day else None,
    )
    context = {
        "days": listing.group_by_day(page.events, tz),
        "availability": availability(page.events),
        "pager": pager(request, page),
        "towns": await listing.towns(),
        "venues": await listing.listed_venues(),
        "filters": {"town": town or "", "venue": venue or "", "from": raw_from or ""},
        "bad_from": bool(raw_from) and from_day is None,
    }
    return _finish(render(request, "public/home.html", context), found)


def availability(events: list[Event]) -> dict[int, list[tuple[str, int]]]:
    """Per event, its groups with places and how many are left (0: a waiting list)."""
    return {
        event.id: [
            (group.value, left)
            for group, left in places.places_left(event).items()
            if places.capacity(event, group) > 0
        ]
        for event in events
    }


def pager(request: Request, page: listing.Page) -> dict[str, str | int | None]:
    """Links to the previous and next page of a listing, keeping its other query parameters."""

    def link(number: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        if number > 1:
            params.append(("page", str(number)))
        query = urlencode(params)
        return request.url.path + (f"?{query}" if query else "")

    return {
        "number": page.number,
        "previous": link(page.number - 1) if page.has_previous else None,
        "next": link(page.number + 1) if page.has_next else None,
    }


def _finish(response: Response, found: caching.Validator | None) -> Response:
    return caching.finish(response, found) if found else response


async def event_detail(request: Request) -> Response:
    event = await listing.public_event(request.path_params["slug"])
    found = None
    tasks: list[volunteers.TaskView] | None = None
    if caching.cacheable(request):
        # Places left change by counter UPDATEs that leave updated_at alone, and the form
        # carries this visitor's CSRF token: both are part of the tag.
        changed = max(event.updated_at, event.venue.updated_at)
        found = caching.validator(
            request,
            Freshness(1, event.id, changed),
            event.taken_young,
            event.taken_older,
            event.taken_open,
            places.open_for_signup(event, datetime.now(UTC)),
            registrations.phase_of(event, datetime.now(UTC)),
            *(task_state := await volunteers.open_task_freshness(event.id)),
            csrf_token(request),
        )
        if (unchanged := caching.not_modified(request, found)) is not None:
            return unchanged
        if task_state[0] == 0:
            tasks = []  # no task at all: none is open (saves open_tasks' statements)
    return _finish(await render_event_page(request, event, tasks=tasks), found)


async def render_event_page(
    request: Request,
    event: Event,
    *,
    values: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    suggestions: dict[str, str] | None = None,
    status: int = 200,
    tasks: list[volunteers.TaskView] | None = None,
) -> Response:
    """The public event page with its sign-up form (also re-rendered with form errors and
    suggested email addresses). ``tasks``: the open volunteer tasks when already known."""
    settings = request.app.state.settings
    now = datetime.now(UTC)
    context = {
        "event": event,
        "phase": registrations.phase_of(event, now),
        "contact": organisations.contact_of(event.organisation),
        "places": places.places_by_group(event),
        "left": places.places_left(event),
        "open_for_signup": places.open_for_signup(event, now),
        "json_ld": _json_ld(request, event),
        "page_url": Urls(settings.base_url).absolute("event_detail", slug=event.slug),
        "values": values or {},
        "errors": errors or {},
        "suggestions": suggestions or {},
        "choices": signup_choices(event),
        "volunteer_tasks": tasks
        if tasks is not None
        else await volunteers.open_tasks(event, now=now),
    }
    return render(request, "public/event_detail.html", context, status=status)


def signup_choices(event: Event) -> dict[str, list[tuple[str, str]]]:
    """Translated labels for the optional checkboxes of the sign-up form."""
    extra = [(label, label) for label in event.organisation.extra_interests]
    return {
        "languages": i18n.choices(LANGUAGE_LABELS),
        "interests": i18n.choices(INTEREST_LABELS) + extra,
        "needs": i18n.choices(NEED_LABELS),
    }


def _json_ld(request: Request, event: Event) -> str:
    """schema.org Event data for search engines and aggregators."""
    settings = request.app.state.settings
    data = schema_org_event(
        to_calendar_event(event), base_url=settings.base_url, timezone=settings.timezone
    )
    # Inside a <script> block "</script>" and "<!--" change how HTML is parsed: escape the
    # characters that start them, as Jinja's tojson does (JSON reads them back unchanged).
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


async def venue_detail(request: Request) -> Response:
    venue = await listing.public_venue(request.path_params["slug"])
    now, found = datetime.now(UTC), None
    if caching.cacheable(request):
        freshness = await calendar_service.listing_freshness(now=now, venue_id=venue.id)
        found = caching.validator(request, freshness, venue.updated_at)
        if (unchanged := caching.not_modified(request, found)) is not None:
            return unchanged
    page = await listing.upcoming_page(
        now=now,
        page=listing.page_number(request.query_params.get("page")),
        venue_slug=venue.slug,
    )
    context = {
        "venue": venue,
        "days": listing.group_by_day(page.events, _tz(request)),
        "availability": availability(page.events),
        "pager": pager(request, page),
    }
    tz_name = request.app.state.settings.timezone
    context.update(await checks.venue_check_context(venue.id, now=now, timezone=tz_name))
    return _finish(render(request, "public/venue_detail.html", context), found)


async def organisation_detail(request: Request) -> Response:
    organisation = await listing.public_organisation(request.path_params["slug"])
    now, found = datetime.now(UTC), None
    if caching.cacheable(request):
        freshness = await calendar_service.listing_freshness(
            now=now, organisation_id=organisation.id
        )
        # Organisations keep no updated_at: what the page shows of them is in the validator.
        found = caching.validator(request, freshness, organisation.name, organisation.description)
        if (unchanged := caching.not_modified(request, found)) is not None:
            return unchanged
    events = await listing.upcoming_events(now=now, organisation_slug=organisation.slug)
    context = {
        "organisation": organisation,
        "days": listing.group_by_day(events, _tz(request)),
        "availability": availability(events),
    }
    return _finish(render(request, "public/organisation_detail.html", context), found)


async def privacy(request: Request) -> Response:
    """The privacy statement: what we keep and how long, and who is responsible."""
    context = {
        "retention_days": request.app.state.settings.retention_days,
        "responsible": await organisations.responsible_organisations(),
    }
    return render(request, "public/privacy.html", context)


async def set_language(request: Request) -> Response:
    """Switch language by link (works without JavaScript) and remember it for a year."""
    locale = request.path_params["locale"]
    if locale not in i18n.LOCALES:
        raise NotFound()
    response = RedirectResponse(safe_next(request.query_params.get("next"), "/"), 303)
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


routes = [
    Route("/", home, name="home"),
    Route("/events/{slug}", event_detail, name="event_detail"),
    Route("/venues/{slug}", venue_detail, name="venue_detail"),
    Route("/organisations/{slug}", organisation_detail, name="organisation_detail"),
    Route("/privacy", privacy, name="privacy"),
    Route("/language/{locale}", set_language, name="set_language"),
]
